"""The workflow's DAG: one claim_<id> rule per registered claim, and the configs validate."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from dln.registry import families

ROOT = Path(__file__).resolve().parents[1]
SNAKEMAKE = Path(sys.executable).with_name("snakemake")


def _dry_run(configfile: str) -> str:
    out = subprocess.run(
        [str(SNAKEMAKE), "-n", "--forceall", "--nolock", "--quiet", "rules", "--configfile", configfile],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout + out.stderr


@pytest.mark.parametrize("configfile", ["config.small.yaml", "config.yaml"])
def test_every_claim_has_its_rule(configfile: str) -> None:
    text = _dry_run(configfile)
    rules = set(re.findall(r"^(claim_\w+)\s+\d+", text, flags=re.M))
    claims = {f"claim_{c}" for fam in families().values() for c in fam.claims}
    assert rules == claims
    assert re.search(r"^simulate\s+\d+", text, flags=re.M)
    # MTL runs as one job per data seed, `nested` as one per MTL seed, and `pretrain` and `single_task` as one per
    # data seed when they train by GD (else one), each merged into its one .npz
    section = yaml.safe_load((ROOT / configfile).read_text())["multitask"]
    common = section["common"]
    seeds = section["mtl"].get("seeds", common["seeds"])
    pretrain = common["seeds"] if common["pretrain_steps"] > 0 else 1
    single_task = common["seeds"] if common["gd_steps_sparse"] > 0 else 1
    parts = seeds + section["nested"]["seeds_mtl"] + pretrain + single_task
    assert re.search(rf"^simulate_part\s+{parts}$", text, flags=re.M)
    assert re.search(r"^merge_parts\s+4$", text, flags=re.M)
    assert re.search(r"^claims_table\s+1", text, flags=re.M)


def test_every_claim_has_a_clean_notebook() -> None:
    import nbformat

    for fam in families().values():
        for cid in fam.claims:
            nb = nbformat.read(ROOT / "notebooks" / f"{cid}.ipynb", as_version=4)
            assert nb.metadata["kernelspec"]["name"] == "python3"
            tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
            assert len(tagged) == 1, f"{cid}: exactly one cell tagged 'parameters'"
            for name in ("sims", "verdict_path", "figure_stem", "style_path"):
                assert name in tagged[0].source
            for cell in nb.cells:
                if cell.cell_type == "code":
                    assert not cell.outputs and cell.execution_count is None, f"{cid}: outputs stored in git"
                    assert "config.yaml" not in cell.source, f"{cid}: notebooks must not read the config"
