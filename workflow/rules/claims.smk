# One rule per registered claim, generated from the registry (dln.registry): claim_<id> writes the verdict
# (computed in dln, not in the notebook) and then renders the figure with papermill. Adding a claim to a
# family's claims.py (plus its notebook and config) adds its rule here without any edit under workflow/.
# `falsify` reruns the claim's verdict on each of its null models (it assesses the real arrays itself, so that
# editing only a notebook reruns only that claim's rule).


for _family in FAMILIES.values():
    for _cid, _claim in _family.claims.items():

        rule:
            name:
                f"claim_{_cid}"
            input:
                sims=[sim_path("{root}", _family.name, s) for s in _claim.simulations],
                notebook=f"notebooks/{_cid}.ipynb",
                style=STYLE,
            output:
                verdict=f"{{root}}/claims/{_cid}.json",
                caption=f"{{root}}/claims/{_cid}.rst",
                pdf=f"{{root}}/figures/{_cid}.pdf",
                png=report(
                    f"{{root}}/figures/{_cid}.png",
                    caption="../report/claim.rst",
                    category=_family.title,
                    labels=verdict_labels(_cid),
                ),
            log:
                run=f"{{root}}/logs/claims/{_cid}.log",
                notebook=f"{{root}}/notebooks/{_cid}.ipynb",
            benchmark:
                f"{{root}}/benchmarks/claims/{_cid}.tsv"
            threads: 1
            resources:
                mem_mb=1500,
                runtime=20,
            params:
                cid=_cid,
                code=claim_code(_cid),
                stem=lambda w, output: str(Path(output.pdf).with_suffix("")),
                sims=lambda w, input: json.dumps(list(input.sims)),
            shell:
                "python -m dln verdict {params.cid} --inputs {input.sims:q} --out {output.verdict:q} "
                "--caption {output.caption:q} "
                "> {log.run:q} 2>&1 && "
                "python -m papermill {input.notebook:q} {log.notebook:q} -k python3 --no-progress-bar "
                "-p sims {params.sims:q} -p verdict_path {output.verdict:q} -p figure_stem {params.stem:q} "
                "-p style_path {input.style:q} >> {log.run:q} 2>&1"


rule falsify:
    input:
        lambda w: claim_sims(w.root, w.cid),
    output:
        record="{root}/falsification/{cid}.json",
        caption="{root}/falsification/{cid}.rst",
    log:
        "{root}/logs/falsification/{cid}.log",
    benchmark:
        "{root}/benchmarks/falsification/{cid}.tsv"
    threads: 1
    resources:
        mem_mb=1500,
        runtime=20,
    params:
        code=lambda w: null_code(w.cid),
    shell:
        "python -m dln falsify {wildcards.cid} --inputs {input:q} "
        "--out {output.record:q} --caption {output.caption:q} > {log:q} 2>&1"
