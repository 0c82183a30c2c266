# The resolved config of this run (config files, --config overrides, schema defaults) as sorted JSON, for
# `python -m dln compare`. The JSON is the rule's only param and the rule has no inputs, so it reruns exactly
# when the config changes (Snakemake reruns a job whose params changed) and its bytes depend on nothing else.
# A robustness folder records its own root seed.


rule config_snapshot:
    output:
        "{root}/config.json",
    log:
        "{root}/logs/config_snapshot.log",
    localrule: True
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        config=lambda w: json.dumps(config | {"seed": seed_of(w.root)}, sort_keys=True),
    shell:
        "python -m dln snapshot-config {params.config:q} --out {output:q} > {log:q} 2>&1"
