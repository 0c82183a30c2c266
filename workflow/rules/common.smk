# Shared helpers of the rule files (functions only; the generic rules are in generic.smk).
import json
import os
import sys

from snakemake.exceptions import WorkflowError

from dln.registry import families

# Rules call `python -m dln` and `papermill` from the environment that runs Snakemake (also on cluster nodes,
# where the job's Snakemake re-reads this file), whatever the user's PATH says.
os.environ["PATH"] = (
    os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
)
STYLE = "workflow/style/dln.mplstyle"
FAMILIES = families()
CLAIM_IDS = []


def validate_family(name):
    """Validate one family's config section: its schema (defaults filled in), then its cross-key checks.

    Errors name the section, so a user sees e.g. "config section 'implicit_bias': common.d=20 must exceed ...".
    """
    try:
        validate(config[name], f"../schemas/{name}.schema.yaml")
    except WorkflowError as err:
        raise WorkflowError(f"config section '{name}' is invalid: {err}") from None
    problems = FAMILIES[name].config_problems(config[name])
    if problems:
        raise WorkflowError(
            f"config section '{name}' is invalid: " + "; ".join(problems)
        )


def sim_spec(family, sim):
    """The config slice a simulation depends on, as JSON: the family's `common` block plus its own."""
    section = config[family]
    spec = {**section.get("common", {}), **section[sim]}
    return json.dumps(spec, sort_keys=True)


def sim_path(family, sim):
    return f"results/sims/{family}/{sim}.npz"


# Simulations that run in parts (one job each, merged by `merge_parts`); the others run as one `simulate` job.
IN_PARTS = sorted(
    {s.name for f in FAMILIES.values() for s in f.simulations.values() if s.parts}
)
NEVER = "(?!x)x"  # a regex that matches nothing


def part_paths(family, sim):
    """The parts of a simulation, as many as its config slice asks for (e.g. one per data seed)."""
    count = (
        FAMILIES[family].simulations[sim].parts.count(json.loads(sim_spec(family, sim)))
    )
    return [f"results/sims/{family}/{sim}.part{i}.npz" for i in range(count)]


def claim(cid):
    """Register a claim and return the inputs of its rule (its simulations, notebook and style file)."""
    family = next(f for f in FAMILIES.values() if cid in f.claims)
    CLAIM_IDS.append(cid)
    sims = [sim_path(family.name, s) for s in family.claims[cid].simulations]
    return {"sims": sims, "notebook": f"notebooks/{cid}.ipynb", "style": STYLE}


def claim_outputs(cid):
    """Verdict and figure files of a claim; the PNG figure goes into the report (`snakemake --report`)."""
    return {
        "verdict": f"results/claims/{cid}.json",
        "pdf": f"results/figures/{cid}.pdf",
        "png": report_figure(cid, f"results/figures/{cid}.png"),
    }


def report_figure(cid, path):
    """Mark a claim figure for the report: one category per family, a caption, the verdict as a label."""
    family = next((f for f in FAMILIES.values() if cid in f.claims), None)
    if family is None:  # the template rule itself
        return path
    own = Path(workflow.basedir) / "workflow" / "report" / "claims" / f"{cid}.rst"
    return report(
        path,
        caption=(
            f"../report/claims/{cid}.rst" if own.exists() else "../report/claim.rst"
        ),
        category=family.title.split(":")[0],
        labels=verdict_labels(cid),
    )


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


def claim_logs(cid):
    """Logs survive a failed job: the run log and the executed notebook."""
    return {
        "run": f"results/logs/claims/{cid}.log",
        "notebook": f"results/notebooks/{cid}.ipynb",
    }


def claim_benchmark(cid):
    return f"results/benchmarks/claims/{cid}.tsv"
