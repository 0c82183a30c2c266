"""STL and PT+FT by the authors' GD (``gd_steps_sparse``) instead of the exact gradient-flow limit."""

import numpy as np
import pytest

from dln.multitask.experiments import OVERLAP_EXP, pretrained_first_layer, pretrained_init, seed_draw, teacher_grid
from dln.multitask.metrics import population_loss
from dln.multitask.simulations import (
    NESTED,
    SINGLE_TASK,
    _nested_only,
    simulate_nested,
    simulate_single_task,
)
from dln.multitask.training import PoolTask, Weights, train_gd
from dln.status import Status

COMMON = {
    "d": 40,
    "k_aux": 4,
    "n_aux": 48,
    "alpha": 1e-3,
    "seeds": 2,
    "n_main": [4, 8, 16],
    "lr": 0.1,
    "threshold": 1e-10,
    "check_every": 50,
    "overlaps": [2, 4],
    "k_main": [1, 2, 4],
    "c": [1.0, 0.1],
    "max_steps_lp_overlap": 300,
    "max_steps_lp_sparse": 200,
    "sparse_mtl_aux": "linear",
    "pretrain_steps": 0,
    "lr_pretrain": 0.5,
}
NESTED_SPEC = COMMON | {"seeds_mtl": 2, "n_mtl": [8], "max_steps_mtl": 100}
SEED = 5


def _with_gd(spec: dict, steps: int) -> dict:
    return spec | {"gd_steps_sparse": steps}


@pytest.fixture(scope="module")
def single_task_runs() -> tuple[dict, dict]:
    return simulate_single_task(_with_gd(COMMON, 0), SEED), simulate_single_task(_with_gd(COMMON, 20000), SEED)


def test_gd_cells_are_the_sparse_teachers_single_task_reads(single_task_runs) -> None:
    exact_run, gd_run = single_task_runs
    SINGLE_TASK.check(gd_run)
    grid = teacher_grid(COMMON)
    trained = (grid.experiment != OVERLAP_EXP) & ~_nested_only(grid)
    for name in ("stl", "ptft_c0", "ptft_c1"):
        steps = gd_run[f"{name}/steps"]
        assert np.all(steps[:, trained] > 0) and np.all(steps[:, ~trained] == 0)
        np.testing.assert_array_equal(gd_run[f"{name}/final"][:, ~trained], exact_run[f"{name}/final"][:, ~trained])
        np.testing.assert_array_equal(gd_run[f"{name}/limit"], exact_run[f"{name}/final"])  # the limit is kept
        np.testing.assert_array_equal(exact_run[f"{name}/steps"], 0)
    for key in ("lp_ptft/final", "lp_ptft/min", "lp_stl/final", "lp_stl/min"):  # LP does not move
        np.testing.assert_array_equal(gd_run[key], exact_run[key])


def test_converged_gd_ends_near_the_limit_away_from_recovery(single_task_runs) -> None:
    _, gd_run = single_task_runs
    done = gd_run["stl/status"] == Status.CONVERGED
    trained = gd_run["stl/steps"] > 0
    assert np.any(done & trained)
    # away from recovery; near it, GD stopped by the train-MSE threshold can end well above the limit (issue 12)
    cells = done & trained & (gd_run["stl/limit"] > 0.1)
    assert np.sum(cells) >= 5
    np.testing.assert_allclose(gd_run["stl/final"][cells], gd_run["stl/limit"][cells], rtol=0.05)
    assert np.all(gd_run["stl/min"][trained] <= gd_run["stl/final"][trained])


def test_a_cell_equals_gd_run_alone() -> None:
    """A GD cell of the batched run equals the same configuration trained alone by `train_gd`."""
    spec = _with_gd(COMMON, 3000)
    r = simulate_single_task(spec, SEED)
    grid = teacher_grid(spec)
    t = int(np.flatnonzero((grid.experiment != OVERLAP_EXP) & (grid.overlap == 0))[0])
    s, j, n = 1, 2, spec["n_main"][2]
    dr = seed_draw(spec, SEED, s)
    bstar = r["beta_main"][s, t]
    first = pretrained_init(pretrained_first_layer(dr, spec), spec, 0.1)
    w = Weights(first.w_pos[None], first.w_neg[None], first.v_pos[None, None], first.v_neg[None, None])
    alone = train_gd([PoolTask(dr.X_main, np.array([n]), bstar[None])], w, 0.1, 3000, 1e-10, 0, 50)
    np.testing.assert_allclose(r["ptft_c1/final"][s, t, j], alone.final_eval_loss[0], rtol=1e-9)
    np.testing.assert_allclose(r["ptft_c1/min"][s, t, j], alone.min_eval_loss[0], rtol=1e-9)
    assert r["ptft_c1/steps"][s, t, j] == alone.steps[0]


def test_a_capped_run_is_flagged_and_ends_above_the_limit() -> None:
    """At a cap too short to converge, every trained cell is STALLED and its loss is not the limit's (near
    the start at the smallest n, where the limit is itself near the start loss)."""
    r = simulate_single_task(_with_gd(COMMON, 60), SEED)
    trained = r["stl/steps"] > 0
    assert np.all(r["stl/status"][trained] == Status.STALLED) and np.all(r["stl/steps"][trained] == 60)
    gap = r["stl/final"][trained] / r["stl/limit"][trained]
    assert np.all(np.abs(gap - 1.0) > 1e-3) and np.median(gap) > 1.5  # short of the limit, mostly far above


def test_nested_trains_every_teacher_and_merges_like_one_process() -> None:
    spec = _with_gd(NESTED_SPEC, 2000)
    r = simulate_nested(spec, SEED)
    NESTED.check(r)
    assert np.all(r["stl/steps"] > 0) and np.all(r["ptft_c1/steps"] > 0)
    start = population_loss(np.zeros(spec["d"]), r["beta_main"][0, 0])
    assert np.all(r["stl/min"][0, 0] <= start + 1e-15)


def test_verdicts_say_how_the_single_task_cells_were_trained(single_task_runs) -> None:
    from dln.multitask.claims import single_task_training

    exact_run, gd_run = single_task_runs
    assert single_task_training(SINGLE_TASK.view(exact_run))["gd_cells"] == 0
    summary = single_task_training(SINGLE_TASK.view(gd_run))
    trained = sum(int(np.sum(gd_run[f"{m}/steps"] > 0)) for m in ("stl", "ptft_c0", "ptft_c1"))
    capped = sum(int(np.sum(gd_run[f"{m}/status"] == Status.STALLED)) for m in ("stl", "ptft_c0", "ptft_c1"))
    assert summary["gd_cells"] == trained > 0 and summary["gd_capped"] == capped
    assert "authors' GD" in summary["how"]


@pytest.mark.parametrize("steps", [0, 300])
def test_single_task_parts_merge_to_the_one_process_arrays(steps: int) -> None:
    """With GD, one workflow job per data seed; exact limits, one job. The merged arrays are the same either way."""
    from dln.multitask.experiments import lp_caps, main_teachers, single_task_seed
    from dln.multitask.simulations import (
        SINGLE_TASK_PART,
        _single_task_gd_caps,
        merge_single_task,
        simulate_single_task_part,
        single_task_part_count,
    )

    spec = _with_gd(COMMON, steps) | {"seeds": 3}
    count = single_task_part_count(spec)
    assert count == (3 if steps else 1)
    parts = [simulate_single_task_part(spec, SEED, i) for i in range(count)]
    for part in parts:
        SINGLE_TASK_PART.check(part)
    merged = merge_single_task(spec, SEED, parts)
    SINGLE_TASK.check(merged)
    grid = teacher_grid(spec)
    for s in range(3):  # each seed's arrays are those of its own run, whatever part computed it
        dr = seed_draw(spec, SEED, s)
        one = single_task_seed(
            spec, dr, main_teachers(dr, spec, grid), lp_caps(spec, grid), None, _single_task_gd_caps(spec)
        )
        for key, value in one.items():
            np.testing.assert_array_equal(merged[key][s], value)
