"""The nested simulation (own sizes, MTL on the first seeds and chosen n only) and its seed-split curves."""

import json
from pathlib import Path

import numpy as np
import pytest
from multitask_curves import paper_like_curves, synthetic_results

from dln import io
from dln.cli import main
from dln.multitask import exact
from dln.multitask.experiments import OVERLAP_EXP, SPARSE_EXP, lp_caps, teacher_grid
from dln.multitask.relative import relative_samples, split_seed_curves, split_seed_samples
from dln.multitask.simulations import MTL, NESTED, SINGLE_TASK, simulate_mtl, simulate_nested

COMMON = {
    "d": 40,
    "k_aux": 4,
    "n_aux": 48,
    "alpha": 1e-3,
    "lr": 0.1,
    "threshold": 1e-10,
    "check_every": 50,
    "c": [1.0, 0.1],
    "max_steps_lp_overlap": 1000,
    "max_steps_lp_sparse": 800,
    "gd_steps_sparse": 0,
    "pretrain_steps": 0,
    "lr_pretrain": 0.5,
}
NESTED_SPEC = COMMON | {
    "seeds": 3,
    "n_main": [4, 8, 16],
    "k_main": [1, 4],
    "seeds_mtl": 2,
    "n_mtl": [8, 16],
    "max_steps_mtl": 200,
}


def test_nested_trains_mtl_only_on_its_seeds_and_n():
    r = simulate_nested(NESTED_SPEC, 7)
    assert r["stl/final"].shape == (3, 2, 3) and r["mtl/min"].shape == (2, 2, 3)
    assert np.all(np.isnan(r["mtl/min"][:, :, 0])) and np.all(np.isfinite(r["mtl/min"][:, :, 1:]))
    assert np.all(r["mtl/steps"][:, :, 0] == 0) and np.all(r["mtl/steps"][:, :, 1:] > 0)
    assert np.all(r["teacher/overlap"] == r["teacher/k_main"])  # inside the auxiliary support


def test_split_seed_samples_use_each_seeds_own_baseline():
    r = NESTED.view(simulate_nested(NESTED_SPEC, 7))
    s = split_seed_samples(r, "min")
    base = r.stl.min[:, :, :1]  # the denominator has the numerator's variant (the paper: min over min)
    np.testing.assert_allclose(s["ptft_c1"], r.ptft[1].min / base)
    np.testing.assert_allclose(s["mtl"], r.mtl.min / base[:2])
    curves = split_seed_curves(r, "min")
    np.testing.assert_allclose(curves["mtl"], np.mean(r.mtl.min / base[:2], axis=0))


def test_linear_probe_runs_to_each_experiments_cap():
    """LP is still moving at the authors' caps, so each experiment's own cap (1e6 overlap, 1e5 sparse) is used."""
    spec = COMMON | {"n_main": [4, 8], "overlaps": [2, 4], "k_main": [1, 2]}
    grid = teacher_grid(spec)
    caps = lp_caps(spec, grid)
    assert np.all(caps[grid.experiment == OVERLAP_EXP] == 1000) and np.all(caps[grid.experiment == SPARSE_EXP] == 800)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((8, 40))
    beta = np.zeros(40)
    beta[:2] = 0.5
    init = exact.stl_init(40, 1e-3)
    short, long = (exact.linear_probe(X, X @ beta, init, 0.1, cap, 1e-10) for cap in (800, 1000))
    assert short.steps == 800 and long.steps == 1000 and long.train_mse < short.train_mse


def test_relative_losses_divide_by_the_baseline_of_the_same_variant():
    r = NESTED.view(simulate_nested(NESTED_SPEC, 7))
    for variant in ("min", "final"):
        s = split_seed_samples(r, variant)
        np.testing.assert_allclose(s["stl"], r.stl[variant] / r.stl[variant][:, :, :1])


def test_mtl_skips_teachers_only_the_nested_experiment_reads():
    spec = COMMON | {"seeds": 2, "n_main": [4, 8, 16], "overlaps": [2, 4], "k_main": [1, 2, 4]}
    spec |= {"max_steps_sparse": 100, "max_steps_overlap": 100}
    r = simulate_mtl(spec, 3)
    skipped = (r["teacher/experiment"] == 1) & (r["teacher/overlap"] == r["teacher/k_main"]) & (r["teacher/k_main"] > 1)
    assert skipped.sum() == 2 and np.all(r["caps"][skipped] == 0)
    assert np.all(np.isnan(r["mtl/min"][:, skipped])) and np.all(np.isfinite(r["mtl/min"][:, ~skipped]))


MTL_SPEC = COMMON | {"seeds": 2, "n_main": [4, 8], "overlaps": [2], "k_main": [1, 2]}
MTL_SPEC |= {"max_steps_sparse": 60, "max_steps_overlap": 60}


def test_mtl_in_parts_merges_to_the_whole_simulation(tmp_path: Path) -> None:
    """`dln simulate --part i` per seed, then `dln merge`: the same arrays as one `dln simulate`."""
    spec = json.dumps(MTL_SPEC)
    base = ["--spec", spec, "--seed", "3"]
    whole = tmp_path / "whole.npz"
    assert main(["simulate", "multitask", "mtl", *base, "--out", str(whole)]) == 0
    parts = [str(tmp_path / f"mtl.part{i}.npz") for i in range(2)]
    for i, part in enumerate(parts):
        assert main(["simulate", "multitask", "mtl", *base, "--part", str(i), "--out", part]) == 0
    merged = tmp_path / "merged.npz"
    assert main(["merge", "multitask", "mtl", *base, "--parts", *parts, "--out", str(merged)]) == 0
    a, b = io.load_npz(whole), io.load_npz(merged)
    assert a.keys() == b.keys()
    for key in a:
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)
    assert io.read_json(merged.with_suffix(".json"))["spec"] == MTL_SPEC


def test_parts_errors_name_the_problem(tmp_path: Path) -> None:
    base = ["--spec", json.dumps(MTL_SPEC), "--seed", "3"]
    with pytest.raises(SystemExit, match="out of range"):
        main(["simulate", "multitask", "mtl", *base, "--part", "2", "--out", str(tmp_path / "x.npz")])
    with pytest.raises(SystemExit, match="has 2 parts, got 1"):
        main(["merge", "multitask", "mtl", *base, "--parts", "a.npz", "--out", str(tmp_path / "x.npz")])
    with pytest.raises(SystemExit, match="does not run in parts"):
        main(["simulate", "multitask", "penalties", *base, "--part", "0", "--out", str(tmp_path / "x.npz")])
    assert not list(tmp_path.iterdir())  # nothing written


def test_mtl_on_fewer_seeds_pairs_the_first_single_task_seeds() -> None:
    arrays = synthetic_results(paper_like_curves(), seeds=3)
    mtl = {k: (v[:2] if v.ndim and v.shape[0] == 3 else v) for k, v in arrays["mtl"].items()}
    single = SINGLE_TASK.view(arrays["single_task"])
    samples = relative_samples(single, MTL.view(mtl), "min")
    assert samples["mtl"].shape[0] == 2 and samples["stl"].shape[0] == 3
    mtl["beta_main"] = mtl["beta_main"] + 1.0  # not the same draws: refuse to pair
    with pytest.raises(ValueError, match="first seeds"):
        relative_samples(single, MTL.view(mtl), "min")


def test_nested_parts_hold_each_seeds_own_runs():
    """One job per MTL seed: every seed's arrays are those of its own single-task and MTL runs, whatever part
    (and block of single-task seeds) computed it, and the merged file has the declared layout."""
    from dln.multitask.experiments import main_teachers, mtl_seed, nested_grid, seed_draw, single_task_seed
    from dln.multitask.simulations import NESTED_PART, merge_nested, nested_part_count, simulate_nested_part

    spec = NESTED_SPEC | {"seeds": 5}
    parts = [simulate_nested_part(spec, 7, i) for i in range(nested_part_count(spec))]
    for part in parts:
        NESTED_PART.check(part)
    merged = merge_nested(spec, 7, parts)
    NESTED.check(merged)
    grid = nested_grid(spec)
    caps = lp_caps(spec, grid)
    mtl_caps = np.where(np.isin(spec["n_main"], spec["n_mtl"])[None, :], spec["max_steps_mtl"], 0) * np.ones(
        (grid.size, 1), dtype=np.int64
    )
    for s in range(spec["seeds"]):
        dr = seed_draw(spec, 7, s)
        betas = main_teachers(dr, spec, grid)
        single = single_task_seed(spec, dr, betas, caps)
        for key, value in single.items():
            np.testing.assert_array_equal(merged[key][s], value)
        if s < spec["seeds_mtl"]:
            mtl = mtl_seed(spec, dr, betas, mtl_caps, grid.aux_magnitude)
            np.testing.assert_array_equal(merged["mtl/steps"][s], mtl["mtl/steps"])
            np.testing.assert_array_equal(merged["mtl/beta"][s], mtl["mtl/beta"])
    assert merged["stl/final"].shape == (5, 2, 3) and merged["mtl/min"].shape == (2, 2, 3)
