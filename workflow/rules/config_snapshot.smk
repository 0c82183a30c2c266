# The resolved config of this run (config files, --config overrides, schema defaults) as sorted JSON, for
# `python -m dln compare`. The JSON is the rule's only param and the rule has no inputs, so it reruns exactly
# when the config changes (Snakemake reruns a job whose params changed) and its bytes depend on nothing else.


rule config_snapshot:
    output:
        "results/config.json",
    log:
        "results/logs/config_snapshot.log",
    localrule: True
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        config=json.dumps(config, sort_keys=True),
    shell:
        "python -m dln snapshot-config {params.config:q} --out {output:q} > {log:q} 2>&1"
