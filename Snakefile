# dln-figures: one rule per claim of four papers on (S)GD over diagonal linear networks.
# Run: snakemake                      (paper scale, config.yaml; as many jobs as the machine has cores)
#      snakemake --configfile config.small.yaml   (small, strict: what CI runs)
from snakemake.exceptions import WorkflowError
from snakemake.utils import min_version, validate

from dln.configfile import yaml_problem

min_version("9.0")

# Snakemake reports a YAML error without file or line: name them before `configfile:` reads the file.
if problem := yaml_problem("config.yaml"):
    raise WorkflowError(f"config file {problem}")


configfile: "config.yaml"


validate(config, "workflow/schemas/config.schema.yaml")


envvars:
    "PATH",


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/generic.smk"
include: "workflow/rules/implicit_bias.smk"
include: "workflow/rules/stepsizes.smk"
include: "workflow/rules/highdim.smk"
include: "workflow/rules/multitask.smk"
include: "workflow/rules/claims.smk"
include: "workflow/rules/config_snapshot.smk"


localrules:
    all,
    claims_table,
    check_claims,


rule all:
    default_target: True
    input:
        "results/claims.md",
        "results/claims.ok",
        "results/config.json",
