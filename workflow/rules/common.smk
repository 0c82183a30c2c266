# Shared helpers and the two generic rules every family uses: `simulate` and the claim template.
import json
import sys

from dln.registry import families

PYTHON = sys.executable
STYLE = "workflow/style/dln.mplstyle"
FAMILIES = families()
CLAIM_IDS = []


def validate_family(name):
    """Validate one family's config section against its own schema (defaults filled in)."""
    validate(config[name], f"../schemas/{name}.schema.yaml")


def sim_spec(family, sim):
    """The config slice a simulation depends on, as JSON: the family's `common` block plus its own."""
    section = config[family]
    spec = {**section.get("common", {}), **section[sim]}
    return json.dumps(spec, sort_keys=True)


def sim_path(family, sim):
    return f"results/sims/{family}/{sim}.npz"


def claim(cid):
    """Register a claim rule and return its inputs: the simulations the claim reads and its notebook."""
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


wildcard_constraints:
    family="|".join(FAMILIES),
    sim="[a-z0-9_]+",


rule simulate:
    output:
        npz="results/sims/{family}/{sim}.npz",
        meta="results/sims/{family}/{sim}.json",
    log:
        "results/logs/sims/{family}/{sim}.log",
    benchmark:
        "results/benchmarks/sims/{family}/{sim}.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=120,
    params:
        spec=lambda w: sim_spec(w.family, w.sim),
        seed=config["seed"],
    shell:
        "{PYTHON:q} -m dln simulate {wildcards.family} {wildcards.sim} --spec {params.spec:q} "
        "--seed {params.seed} --out {output.npz:q} > {log:q} 2>&1"


# Template of every claim_<id> rule: the family files derive one rule per claim with `use rule ... with:`.
# It writes the verdict (computed in dln, not in the notebook) and then renders the figure with papermill.
rule claim_template:
    input:
        sims=[],
        notebook="notebooks/template.ipynb",
        style=STYLE,
    output:
        **claim_outputs("template"),
    log:
        **claim_logs("template"),
    benchmark:
        claim_benchmark("template")
    threads: 1
    resources:
        mem_mb=1500,
        runtime=20,
    params:
        cid=lambda w, output: Path(output.verdict).stem,
        stem=lambda w, output: str(Path(output.pdf).with_suffix("")),
        sims=lambda w, input: json.dumps(list(input.sims)),
    shell:
        "{PYTHON:q} -m dln verdict {params.cid:q} --inputs {input.sims:q} --out {output.verdict:q} "
        "> {log.run:q} 2>&1 && "
        "{PYTHON:q} -m papermill {input.notebook:q} {log.notebook:q} -k python3 --no-progress-bar "
        "-p sims {params.sims:q} -p verdict_path {output.verdict:q} -p figure_stem {params.stem:q} "
        "-p style_path {input.style:q} >> {log.run:q} 2>&1"
