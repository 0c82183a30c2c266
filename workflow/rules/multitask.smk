# Claim family: multitask. Config section `multitask`, schema workflow/schemas/multitask.schema.yaml.
validate_family("multitask")
