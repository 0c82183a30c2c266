# Shared helpers of the workflow's .smk files (the registry, the results folder and root seeds, config slices, paths and
# code digests). Functions and constants only; every job is defined in simulations.smk, claims.smk, tables.smk.
import json
import os
import re
import sys
from functools import cache

from snakemake.exceptions import WorkflowError

from dln import codedeps
from dln.registry import families, find_claim, schema_path

# Rules call `python -m dln` and `papermill` from the environment that runs Snakemake (also on cluster nodes,
# where the job's Snakemake re-reads this file), whatever the user's PATH says.
os.environ["PATH"] = (
    os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
)
STYLE = "workflow/style/dln.mplstyle"
FAMILIES = families()
CLAIM_IDS = sorted(c for f in FAMILIES.values() for c in f.claims)

# Everything a run generates goes under ROOT; the `robustness` target reruns every claim at further root seeds
# under ROOT/robustness/seed<s>/ (the main seed's results are ROOT itself).
ROOT = config["results_dir"].rstrip("/")
SEED = int(config["seed"])
ROBUSTNESS_SEEDS = [SEED + k for k in range(int(config["robustness_seeds"]))]
SEED_PREFIX = os.path.join(
    ROOT, "robustness", "seed"
)  # + the root seed: that seed's results folder
ROOT_PATTERN = f"{re.escape(ROOT)}|{re.escape(SEED_PREFIX)}[0-9]+"


def root_of(seed):
    """The results folder of a root seed."""
    return ROOT if seed == SEED else f"{SEED_PREFIX}{seed}"


def seed_of(root):
    """The root seed whose results live in ``root``."""
    if root == ROOT:
        return SEED
    m = re.fullmatch(f"{re.escape(SEED_PREFIX)}([0-9]+)", root)
    if m is None:
        raise WorkflowError(
            f"{root!r} is not a results folder of this run (ROOT is {ROOT!r})"
        )
    return int(m.group(1))


def validate_config():
    """Every registered family has its section, valid against the family's own schema and its cross-key checks
    (the Snakefile has already rejected unknown top-level keys). Errors name the section and the key.
    """
    for name, family in FAMILIES.items():
        if name not in config:
            raise WorkflowError(
                f"config has no section '{name}' (family {family.title!r})"
            )
        try:
            validate(config[name], str(schema_path(name)))
        except WorkflowError as err:
            raise WorkflowError(f"config section '{name}' is invalid: {err}") from None
        problems = family.config_problems(config[name])
        if problems:
            raise WorkflowError(
                f"config section '{name}' is invalid: " + "; ".join(problems)
            )


def sim_spec(family, sim):
    """The config slice a simulation depends on, as JSON: the family's `common` block plus its own."""
    section = config[family]
    spec = {**section.get("common", {}), **section[sim]}
    return json.dumps(spec, sort_keys=True)


def sim_path(root, family, sim):
    return f"{root}/sims/{family}/{sim}.npz"


def need_paths(root, family, sim):
    """The `.npz` of the simulations a simulation needs (`Simulation.needs`), in order."""
    return [sim_path(root, family, n) for n in FAMILIES[family].simulations[sim].needs]


def claim_sims(root, cid):
    """The `.npz` files a claim reads."""
    family, claim = find_claim(cid)
    return [sim_path(root, family.name, s) for s in claim.simulations]


# Simulations that run in parts (one job each, merged by `merge_parts`); the others run as one `simulate` job.
IN_PARTS = sorted(
    {s.name for f in FAMILIES.values() for s in f.simulations.values() if s.parts}
)
NEVER = "(?!x)x"  # a regex that matches nothing


def part_paths(root, family, sim):
    """The parts of a simulation, as many as its config slice asks for (e.g. one per data seed)."""
    count = (
        FAMILIES[family].simulations[sim].parts.count(json.loads(sim_spec(family, sim)))
    )
    return [f"{root}/sims/{family}/{sim}.part{i}.npz" for i in range(count)]


# Code digests (dln.codedeps): passed as params, so Snakemake's `params` rerun trigger reruns a job when the
# code it depends on changes (README: "Code-aware reruns").
@cache
def sim_code(family, sim):
    return codedeps.digest(FAMILIES[family].simulations[sim].functions())


def claim_record(cid):
    """What a verdict copies from the claim's registration: statement, source, known deviations, inputs."""
    family, claim = find_claim(cid)
    return json.dumps(
        {
            "statement": family.statement(cid),
            "source": claim.source.text(family.paper),
            "known_deviations": dict(claim.known_deviations),
            "simulations": list(claim.simulations),
            "nulls": [[n.name, n.removes, list(n.targets)] for n in claim.nulls],
        },
        sort_keys=True,
    )


@cache
def claim_code(cid):
    _, claim = find_claim(cid)
    notebook = codedeps.notebook_modules(f"notebooks/{cid}.ipynb")
    return codedeps.digest([claim.assess], notebook, [claim_record(cid)])


@cache
def null_code(cid):
    _, claim = find_claim(cid)
    nulls = [n.transform for n in claim.nulls]
    return codedeps.digest([claim.assess, *nulls], extra=[claim_record(cid)])


def verdict_files(root):
    return [f"{root}/claims/{cid}.json" for cid in CLAIM_IDS]


def null_files(root):
    return [f"{root}/falsification/{cid}.json" for cid in CLAIM_IDS]


def verdict_labels(cid):
    """Labels of a claim figure in the report, read from its verdict file when the report is built."""

    def labels(wildcards, output):
        verdict = Path(output.verdict)
        holds = json.loads(verdict.read_text())["holds"] if verdict.exists() else None
        return {
            "claim": cid,
            "verdict": {True: "holds", False: "does not hold", None: "missing"}[holds],
        }

    return labels
