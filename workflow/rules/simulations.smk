# Simulations: `simulate` for one job, or `simulate_part` + `merge_parts` for a simulation that runs in parts.
# Every simulation of every registered family runs through these rules; its config slice, root seed and code
# digest are params, so a change to any of them reruns it. The `.npz` of the simulations it needs (its
# `needs`, e.g. multitask's pretrained first layers) are its inputs.


rule simulate:
    input:
        needs=lambda w: need_paths(w.root, w.family, w.sim),
    output:
        npz="{root}/sims/{family}/{sim}.npz",
        meta="{root}/sims/{family}/{sim}.json",
    log:
        "{root}/logs/sims/{family}/{sim}.log",
    benchmark:
        "{root}/benchmarks/sims/{family}/{sim}.tsv"
    wildcard_constraints:
        sim=f"(?!(?:{'|'.join(IN_PARTS) or NEVER})(?![a-z0-9_]))[a-z0-9_]+",
    threads: 1
    resources:
        mem_mb=2000,
        runtime=120,
    params:
        spec=lambda w: sim_spec(w.family, w.sim),
        seed=lambda w: seed_of(w.root),
        code=lambda w: sim_code(w.family, w.sim),
    shell:
        "python -m dln simulate {wildcards.family} {wildcards.sim} --spec {params.spec:q} "
        "--seed {params.seed} --code {params.code} --needs {input.needs:q} --out {output.npz:q} > {log:q} 2>&1"


rule simulate_part:
    input:
        needs=lambda w: need_paths(w.root, w.family, w.sim),
    output:
        npz="{root}/sims/{family}/{sim}.part{part}.npz",
        meta="{root}/sims/{family}/{sim}.part{part}.json",
    log:
        "{root}/logs/sims/{family}/{sim}.part{part}.log",
    benchmark:
        "{root}/benchmarks/sims/{family}/{sim}.part{part}.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=120,
    params:
        spec=lambda w: sim_spec(w.family, w.sim),
        seed=lambda w: seed_of(w.root),
        code=lambda w: sim_code(w.family, w.sim),
    shell:
        "python -m dln simulate {wildcards.family} {wildcards.sim} --part {wildcards.part:q} "
        "--spec {params.spec:q} --seed {params.seed} --code {params.code} --needs {input.needs:q} "
        "--out {output.npz:q} > {log:q} 2>&1"


rule merge_parts:
    input:
        lambda w: part_paths(w.root, w.family, w.sim),
    output:
        npz="{root}/sims/{family}/{sim}.npz",
        meta="{root}/sims/{family}/{sim}.json",
    log:
        "{root}/logs/sims/{family}/{sim}.log",
    benchmark:
        "{root}/benchmarks/sims/{family}/{sim}.tsv"
    wildcard_constraints:
        sim="|".join(IN_PARTS) or NEVER,
    threads: 1
    resources:
        mem_mb=2000,
        runtime=20,
    params:
        spec=lambda w: sim_spec(w.family, w.sim),
        seed=lambda w: seed_of(w.root),
        code=lambda w: sim_code(w.family, w.sim),
    shell:
        "python -m dln merge {wildcards.family} {wildcards.sim} --spec {params.spec:q} "
        "--seed {params.seed} --code {params.code} --parts {input:q} --out {output.npz:q} > {log:q} 2>&1"
