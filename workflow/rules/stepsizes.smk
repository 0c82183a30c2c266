# Claim family: stepsizes. Config section `stepsizes`, schema workflow/schemas/stepsizes.schema.yaml.
validate_family("stepsizes")
