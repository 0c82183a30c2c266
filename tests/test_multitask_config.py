"""The multitask config sections respect what the simulations and verdicts assume."""

from pathlib import Path

import numpy as np
import pytest
import yaml

from dln.multitask.claims import FAMILY
from dln.multitask.relative import PAPER_N

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", ["config.yaml", "config.small.yaml"])
def test_multitask_section_is_consistent(name):
    section = yaml.safe_load((ROOT / name).read_text())["multitask"]
    common = section["common"]
    n = np.asarray(common["n_main"])
    assert np.all(n[1:] == 2 * n[:-1]), "n_main must double: position i stands for the paper's 16 * 2^i"
    assert 5 <= n.size <= len(PAPER_N)  # claims read positions up to the paper's n = 256
    assert common["n_aux"] >= common["d"], "closed-form pretraining needs n_aux >= d"
    assert common["overlaps"][-1] == common["k_aux"] and len(common["overlaps"]) >= 3
    assert sorted(common["k_main"]) == common["k_main"] and common["k_main"][-1] == common["k_aux"]
    assert common["c"][0] == 1.0 and all(c <= 0.1 for c in common["c"][1:])
    assert max(section["validation"]["n_validate"]) <= n.max()


@pytest.mark.parametrize("name", ["config.yaml", "config.small.yaml"])
def test_nested_section_is_consistent(name):
    """The nested experiment keeps the paper's D and k_aux and trains MTL where its checks read it."""
    nested = yaml.safe_load((ROOT / name).read_text())["multitask"]["nested"]
    n = np.asarray(nested["n_main"])
    assert np.all(n[1:] == 2 * n[:-1]) and n[0] == PAPER_N[0] and 3 <= n.size <= len(PAPER_N)
    assert (nested["d"], nested["k_aux"]) == (1000, 40), "Fig 3b/3c is measured at the paper's D and k_aux"
    assert nested["n_aux"] >= nested["d"]
    assert sorted(nested["k_main"]) == nested["k_main"] and nested["k_main"][-1] == nested["k_aux"]
    assert 2 <= nested["seeds_mtl"] <= nested["seeds"]
    assert {PAPER_N[1], PAPER_N[2]} <= set(nested["n_mtl"]) <= set(nested["n_main"])


@pytest.mark.parametrize("name", ["config.yaml", "config.small.yaml"])
def test_mtl_seeds_are_the_first_single_task_seeds(name):
    """MTL's comparisons pair its seeds with the single-task seeds: it may run on fewer, never on more."""
    section = yaml.safe_load((ROOT / name).read_text())["multitask"]
    assert FAMILY.config_problems(section) == []
    bad = section | {"mtl": section["mtl"] | {"seeds": section["common"]["seeds"] + 1}}
    assert any("mtl.seeds" in p for p in FAMILY.config_problems(bad))
