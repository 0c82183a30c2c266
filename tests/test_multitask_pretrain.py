"""The `pretrain` simulation: each seed's PT first layer computed once and read by `validation`, `single_task` and
`nested`, whose arrays must not depend on whether they got it or pretrained themselves."""

import json
from pathlib import Path

import numpy as np
import pytest

from dln import io
from dln.cli import main
from dln.contract import Simulation, simulation_table
from dln.layout import Layout, f64
from dln.multitask.experiments import SharedLayers, pretrain_key, pretrained_first_layer, seed_draw
from dln.multitask.simulations import (
    PRETRAIN,
    SIMULATIONS,
    merge_pretrain,
    pretrain_part_count,
    simulate_nested,
    simulate_nested_part,
    simulate_pretrain,
    simulate_pretrain_part,
    simulate_single_task,
    simulate_validation,
)
from dln.multitask.training import GramTask, SymmetricGramTask, Weights, train_gd

SPEC = {
    "d": 40,
    "k_aux": 4,
    "n_aux": 48,
    "alpha": 1e-3,
    "seeds": 3,
    "n_main": [4, 8, 16],
    "lr": 0.1,
    "threshold": 1e-10,
    "check_every": 50,
    "overlaps": [2, 4],
    "k_main": [1, 4],
    "c": [1.0, 0.1],
    "max_steps_lp_overlap": 300,
    "max_steps_lp_sparse": 200,
    "gd_steps_sparse": 0,
    "sparse_mtl_aux": "linear",
    "pretrain_steps": 400,  # GD pretraining, short: ends at its cap, away from the closed form
    "lr_pretrain": 0.5,
}
NESTED = SPEC | {"seeds_mtl": 2, "n_mtl": [8], "max_steps_mtl": 100}
VALIDATION = SPEC | {
    "seeds_validate": 2,
    "n_validate": [8],
    "k_validate": 2,
    "c_validate": [1.0],
    "max_steps_validate": 200,
}
SEED = 11


def _equal(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for key in a:
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)


@pytest.fixture(scope="module")
def pretrain() -> dict:
    return simulate_pretrain(SPEC, SEED)


def test_symmetric_gram_product_matches_the_general_one():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 40))
    gram = X.T @ X
    delta = rng.standard_normal((3, 40))
    out_general, out_sym = np.empty_like(delta), np.empty_like(delta)
    beta = np.zeros((3, 40))
    sse_general = GramTask(gram, beta, 60).grad_sse(delta, out_general)
    sse_sym = SymmetricGramTask(gram, beta, 60).grad_sse(delta, out_sym)
    np.testing.assert_allclose(out_sym, out_general, rtol=1e-13, atol=1e-12)
    np.testing.assert_allclose(sse_sym, sse_general, rtol=1e-13)
    # and GD through it lands where GD through the general product does
    a = np.full((1, 40), 1e-3)
    target = np.zeros((1, 40))
    target[0, :4] = 0.5
    runs = [
        train_gd([task(gram, target, 60)], Weights(a.copy(), a.copy(), a[None].copy(), a[None].copy()), 0.5, 500, 0, 0)
        for task in (GramTask, SymmetricGramTask)
    ]
    np.testing.assert_allclose(runs[1].weights.w_pos, runs[0].weights.w_pos, rtol=1e-9, atol=1e-15)


def test_pretrain_holds_each_seeds_layer_in_one_job_or_one_per_seed(pretrain):
    assert pretrain_part_count(SPEC) == 3 and pretrain_part_count(SPEC | {"pretrain_steps": 0}) == 1
    PRETRAIN.check(pretrain, what="pretrain")
    for s in range(3):
        first = pretrained_first_layer(seed_draw(SPEC, SEED, s), SPEC)
        np.testing.assert_array_equal(pretrain["w_pos"][s], first.w_pos)
        assert pretrain["steps"][s] == 400 and pretrain["train_mse"][s] == first.train_mse
    closed = simulate_pretrain(SPEC | {"pretrain_steps": 0}, SEED)  # one part, all seeds
    assert closed["w_pos"].shape == (3, 40) and np.all(closed["steps"] == 0)
    _equal(merge_pretrain(SPEC, SEED, [simulate_pretrain_part(SPEC, SEED, i) for i in range(3)]), pretrain)


def test_readers_give_the_same_arrays_with_or_without_the_shared_layers(pretrain):
    needed = {"pretrain": pretrain}
    _equal(simulate_single_task(SPEC, SEED, needed), simulate_single_task(SPEC, SEED))
    _equal(simulate_validation(VALIDATION, SEED, needed), simulate_validation(VALIDATION, SEED))
    _equal(simulate_nested_part(NESTED, SEED, 1, needed), simulate_nested_part(NESTED, SEED, 1))
    _equal(simulate_nested(NESTED, SEED, needed), simulate_nested(NESTED, SEED))


def test_shared_layers_are_used_only_for_the_spec_and_seed_they_were_made_for(pretrain):
    dr = seed_draw(SPEC, SEED, 1)
    doctored = dict(pretrain) | {"w_pos": np.zeros_like(pretrain["w_pos"])}
    assert np.all(SharedLayers(doctored).get(dr, SPEC, SEED, 1).w_pos == 0)  # used: same key
    own = pretrained_first_layer(dr, SPEC).w_pos
    for other_spec, other_seed in ((SPEC | {"pretrain_steps": 300}, SEED), (SPEC | {"alpha": 2e-3}, SEED), (SPEC, 12)):
        dr_other = seed_draw(other_spec, other_seed, 1)
        got = SharedLayers(doctored).get(dr_other, other_spec, other_seed, 1).w_pos
        np.testing.assert_array_equal(got, pretrained_first_layer(dr_other, other_spec).w_pos)
    assert not np.array_equal(pretrain_key(SPEC, SEED), pretrain_key(SPEC, 12))
    short = {key: v[:1] for key, v in doctored.items() if key != "key"} | {"key": doctored["key"]}
    np.testing.assert_array_equal(SharedLayers(short).get(dr, SPEC, SEED, 1).w_pos, own)  # seed 1 not in it


def test_every_pt_reader_needs_pretrain_and_a_need_must_be_registered_first():
    readers = sorted(name for name, sim in SIMULATIONS.items() if sim.needs)
    assert readers == ["nested", "single_task", "validation"]
    assert all(SIMULATIONS[r].needs == ("pretrain",) for r in readers)
    layout = Layout(f64("x", "", "a number"))
    with pytest.raises(ValueError, match="needs \\['later'\\]"):
        simulation_table(
            Simulation("early", 1, lambda spec, seed, needed: {}, layout, "reads later", needs=("later",)),
            Simulation("later", 2, lambda spec, seed: {}, layout, "written later"),
        )


def test_cli_hands_the_needed_file_to_the_reader_and_refuses_a_missing_one(tmp_path: Path, pretrain):
    spec = json.dumps(VALIDATION)
    shared = tmp_path / "pretrain.npz"
    io.save_npz(shared, pretrain)
    out = tmp_path / "validation.npz"
    args = ["simulate", "multitask", "validation", "--spec", spec, "--seed", str(SEED), "--out", str(out)]
    with pytest.raises(SystemExit, match="needs \\['pretrain'\\]"):
        main(args)
    assert main([*args, "--needs", str(shared)]) == 0
    _equal(io.load_npz(out), simulate_validation(VALIDATION, SEED))
    broken = tmp_path / "broken.npz"
    io.save_npz(broken, {key: v for key, v in pretrain.items() if key != "key"})
    with pytest.raises(Exception, match="key"):
        main([*args, "--needs", str(broken)])
