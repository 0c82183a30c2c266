# dln-figures: one rule per claim of four papers on (S)GD over diagonal linear networks.
# Run: snakemake                      (paper scale, config.yaml; as many jobs as the machine has cores)
#      snakemake --configfile config.small.yaml   (small, strict: what CI runs)
#      snakemake robustness           (every claim again at further root seeds: results/robustness.md)
# The rules are generated from the registry of claim families in src/dln (see README, "Adding a claim").
from snakemake.exceptions import WorkflowError
from snakemake.utils import min_version, validate

from dln.configfile import unknown_sections, yaml_problem
from dln.registry import families

min_version("9.0")

# Snakemake reports a YAML error without file or line: name them before `configfile:` reads the file.
if problem := yaml_problem("config.yaml"):
    raise WorkflowError(f"config file {problem}")


configfile: "config.yaml"


if problem := unknown_sections(config, list(families())):
    raise WorkflowError(f"Error validating config file: {problem}")
validate(config, "workflow/schemas/config.schema.yaml")


envvars:
    "PATH",


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"


validate_config()


wildcard_constraints:
    root=ROOT_PATTERN,
    family="|".join(FAMILIES),
    sim="[a-z0-9_]+",
    part="[0-9]+",
    cid="|".join(CLAIM_IDS),


include: "workflow/rules/simulations.smk"
include: "workflow/rules/claims.smk"
include: "workflow/rules/tables.smk"
include: "workflow/rules/config_snapshot.smk"


localrules:
    all,
    claims_table,
    check_claims,
    robustness,


rule all:
    default_target: True
    input:
        f"{ROOT}/claims.md",
        f"{ROOT}/falsification.md",
        f"{ROOT}/claims.ok",
        f"{ROOT}/config.json",
