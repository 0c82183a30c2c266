"""The batched MTL trainer against its plain per-step oracle (one configuration, raw data): same iterates."""

from __future__ import annotations

import numpy as np
import pytest

from dln.multitask.reference import reference_mtl_gd
from dln.multitask.training import GramTask, PoolTask, Weights, train_gd
from dln.status import Status

D, N_AUX, POOL = 40, 60, 30


@pytest.fixture(scope="module")
def problem() -> dict:
    rng = np.random.default_rng(2024)
    C = 6
    X_aux = rng.standard_normal((N_AUX, D)) / np.sqrt(D)
    pool = rng.standard_normal((POOL, D)) / np.sqrt(D)
    stars = np.zeros((2, C, D))
    stars[:, :, :6] = rng.standard_normal((2, C, 6))
    n_rows = np.array([8, 30, 16, 8, 24, 30])
    w = rng.uniform(0.2, 0.6, (2, C, D))  # far from the teachers, so 300 steps move every coordinate
    v = rng.uniform(0.2, 0.6, (2, 2, C, D))
    return {"X_aux": X_aux, "pool": pool, "stars": stars, "n_rows": n_rows, "w": w, "v": v}


def tasks_of(p: dict) -> list[GramTask | PoolTask]:
    return [GramTask(p["X_aux"].T @ p["X_aux"], p["stars"][0], N_AUX), PoolTask(p["pool"], p["n_rows"], p["stars"][1])]


def column_data(p: dict, c: int) -> list[tuple[np.ndarray, np.ndarray]]:
    X_main = p["pool"][: p["n_rows"][c]]
    return [(p["X_aux"], p["X_aux"] @ p["stars"][0, c]), (X_main, X_main @ p["stars"][1, c])]


@pytest.mark.parametrize("train_first_layer", [True, False])
def test_batched_mtl_matches_the_per_step_oracle(problem: dict, train_first_layer: bool) -> None:
    p = problem
    init = Weights(p["w"][0], p["w"][1], p["v"][0], p["v"][1])
    caps = np.array([300, 120, 300, 7, 250, 300])  # columns leave the working set at different steps
    res = train_gd(tasks_of(p), init, 0.2, caps, threshold=0.0, eval_task=1, train_first_layer=train_first_layer)
    assert np.all(res.status == Status.STALLED) and np.array_equal(res.steps, caps)
    worst = 0.0
    for c, cap in enumerate(caps):
        ref = reference_mtl_gd(
            column_data(p, c), p["w"][0, c], p["w"][1, c], p["v"][0, :, c], p["v"][1, :, c], 0.2, int(cap),
            train_first_layer,
        )  # fmt: skip
        got = (res.weights.w_pos[c], res.weights.w_neg[c], res.weights.v_pos[:, c], res.weights.v_neg[:, c])
        moved = np.max(np.abs(ref[2] - p["v"][0, :, c]))
        assert moved > 1e-2  # the comparison is not between two copies of the start
        worst = max(worst, *(float(np.max(np.abs(a - b))) for a, b in zip(got, ref, strict=True)))
    assert worst < 1e-12, worst


def test_the_oracle_fails_a_wrong_learning_rate(problem: dict) -> None:
    p = problem
    init = Weights(p["w"][0], p["w"][1], p["v"][0], p["v"][1])
    res = train_gd(tasks_of(p), init, 0.2, 50, threshold=0.0, eval_task=1)
    ref = reference_mtl_gd(column_data(p, 0), p["w"][0, 0], p["w"][1, 0], p["v"][0, :, 0], p["v"][1, :, 0], 0.21, 50)
    assert np.max(np.abs(res.weights.v_pos[:, 0] - ref[2])) > 1e-6
