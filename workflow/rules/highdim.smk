# Claim family: highdim. Config section `highdim`, schema workflow/schemas/highdim.schema.yaml.
validate_family("highdim")
