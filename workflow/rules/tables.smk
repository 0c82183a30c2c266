# Tables over every claim: claims.md and falsification.md, the strict-mode check, and robustness over root seeds.


rule claims_table:
    input:
        verdicts=lambda w: verdict_files(w.root),
        nulls=lambda w: null_files(w.root),
    output:
        table=report(
            "{root}/claims.md",
            caption="../report/claims_table.rst",
            category="Claims table",
        ),
        falsification=report(
            "{root}/falsification.md",
            caption="../report/falsification.rst",
            category="Claims table",
        ),
    log:
        "{root}/logs/claims_table.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    shell:
        "python -m dln collect {input.verdicts:q} --falsification {input.nulls:q} --out {output.table:q} "
        "--falsification-out {output.falsification:q} 2>&1 | tee {log:q}"


rule check_claims:
    input:
        verdicts=lambda w: verdict_files(w.root),
        nulls=lambda w: null_files(w.root),
        table="{root}/claims.md",
    output:
        "{root}/claims.ok",
    log:
        "{root}/logs/check_claims.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        strict=lambda w: "--strict" if config["strict"] else "",
    shell:
        "python -m dln check {input.verdicts:q} --falsification {input.nulls:q} {params.strict} "
        "--out {output:q} 2>&1 | tee {log:q}"


rule robustness:
    input:
        [f"{root_of(s)}/claims.md" for s in ROBUSTNESS_SEEDS],
    output:
        f"{ROOT}/robustness.md",
    log:
        f"{ROOT}/logs/robustness.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        seeds=" ".join(str(s) for s in ROBUSTNESS_SEEDS),
        folders=" ".join(root_of(s) for s in ROBUSTNESS_SEEDS),
    shell:
        "python -m dln robustness --seeds {params.seeds} --folders {params.folders} --out {output:q} "
        "2>&1 | tee {log:q}"
