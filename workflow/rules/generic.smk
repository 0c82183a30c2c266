# The generic rules every family uses: `simulate` (or `simulate_part` + `merge_parts` for a simulation that
# runs in parts) and the template of every claim_<id> rule.


wildcard_constraints:
    family="|".join(FAMILIES),
    sim="[a-z0-9_]+",
    part="[0-9]+",


rule simulate:
    output:
        npz="results/sims/{family}/{sim}.npz",
        meta="results/sims/{family}/{sim}.json",
    log:
        "results/logs/sims/{family}/{sim}.log",
    benchmark:
        "results/benchmarks/sims/{family}/{sim}.tsv"
    wildcard_constraints:
        sim=f"(?!(?:{'|'.join(IN_PARTS) or NEVER})(?![a-z0-9_]))[a-z0-9_]+",
    threads: 1
    resources:
        mem_mb=2000,
        runtime=120,
    params:
        spec=lambda w: sim_spec(w.family, w.sim),
        seed=config["seed"],
    shell:
        "python -m dln simulate {wildcards.family} {wildcards.sim} --spec {params.spec:q} "
        "--seed {params.seed} --out {output.npz:q} > {log:q} 2>&1"


rule simulate_part:
    output:
        npz="results/sims/{family}/{sim}.part{part}.npz",
        meta="results/sims/{family}/{sim}.part{part}.json",
    log:
        "results/logs/sims/{family}/{sim}.part{part}.log",
    benchmark:
        "results/benchmarks/sims/{family}/{sim}.part{part}.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=120,
    params:
        spec=lambda w: sim_spec(w.family, w.sim),
        seed=config["seed"],
    shell:
        "python -m dln simulate {wildcards.family} {wildcards.sim} --part {wildcards.part:q} "
        "--spec {params.spec:q} --seed {params.seed} --out {output.npz:q} > {log:q} 2>&1"


rule merge_parts:
    input:
        lambda w: part_paths(w.family, w.sim),
    output:
        npz="results/sims/{family}/{sim}.npz",
        meta="results/sims/{family}/{sim}.json",
    log:
        "results/logs/sims/{family}/{sim}.log",
    benchmark:
        "results/benchmarks/sims/{family}/{sim}.tsv"
    wildcard_constraints:
        sim="|".join(IN_PARTS) or NEVER,
    threads: 1
    resources:
        mem_mb=2000,
        runtime=20,
    params:
        spec=lambda w: sim_spec(w.family, w.sim),
        seed=config["seed"],
    shell:
        "python -m dln merge {wildcards.family} {wildcards.sim} --spec {params.spec:q} "
        "--seed {params.seed} --parts {input:q} --out {output.npz:q} > {log:q} 2>&1"


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
        "python -m dln verdict {params.cid:q} --inputs {input.sims:q} --out {output.verdict:q} "
        "> {log.run:q} 2>&1 && "
        "python -m papermill {input.notebook:q} {log.notebook:q} -k python3 --no-progress-bar "
        "-p sims {params.sims:q} -p verdict_path {output.verdict:q} -p figure_stem {params.stem:q} "
        "-p style_path {input.style:q} >> {log.run:q} 2>&1"
