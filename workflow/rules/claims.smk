# The claims table and the strict-mode check, over every claim rule the family files declared.
registered = sorted(c for f in FAMILIES.values() for c in f.claims)
if sorted(CLAIM_IDS) != registered:
    raise ValueError(
        f"claim rules {sorted(CLAIM_IDS)} do not match the claims registered in dln: {registered}"
    )


rule claims_table:
    input:
        verdicts=expand("results/claims/{cid}.json", cid=sorted(CLAIM_IDS)),
    output:
        report(
            "results/claims.md",
            caption="../report/claims_table.rst",
            category="Claims table",
        ),
    log:
        "results/logs/claims_table.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    shell:
        "python -m dln collect {input.verdicts:q} --out {output:q} 2>&1 | tee {log:q}"


rule check_claims:
    input:
        verdicts=expand("results/claims/{cid}.json", cid=sorted(CLAIM_IDS)),
        table="results/claims.md",
    output:
        "results/claims.ok",
    log:
        "results/logs/check_claims.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        strict="--strict" if config["strict"] else "",
    shell:
        "python -m dln check {input.verdicts:q} {params.strict} --out {output:q} 2>&1 | tee {log:q}"
