"""gamma_max search: coarse grid + bisection against known thresholds."""

import numpy as np
import pytest

from dln.runs import problem_set
from dln.stepsizes.gamma_max import coarse_then_bisect, convergence_rule, dln_probe
from dln.training import Stopping


@pytest.mark.parametrize("points", [1, 3])
@pytest.mark.parametrize("theta", [0.37, 1.9, 5.0])
def test_bisection_brackets_a_known_threshold(theta, points):
    grid = np.geomspace(0.1, 10.0, 9)[None, :]
    rounds = 4
    res = coarse_then_bisect(lambda c, rows, r: c < theta, grid, rounds=rounds, points=points)
    assert res.gamma_max[0] < theta <= res.upper[0]
    ratio = grid[0, 1] / grid[0, 0]
    assert res.upper[0] / res.gamma_max[0] == pytest.approx(ratio ** (1 / (points + 1) ** rounds))
    assert not res.capped[0]


def test_first_failure_ends_the_stable_range_and_caps():
    grid = np.array([[1.0, 2.0, 3.0, 4.0, 5.0], [1.0, 2.0, 3.0, 4.0, 5.0], [1.0, 2.0, 3.0, 4.0, 5.0]])
    pattern = np.array([[1, 1, 0, 1, 0], [1, 1, 1, 1, 1], [0, 0, 0, 0, 0]], dtype=bool)
    res = coarse_then_bisect(lambda c, rows, r: pattern[rows], grid, rounds=0)
    assert res.gamma_max[0] == 2.0 and res.upper[0] == 3.0  # the isolated convergent point 4.0 does not count
    assert res.capped[1] and res.gamma_max[1] == 5.0 and np.isinf(res.upper[1])
    assert np.isnan(res.gamma_max[2])


def test_refinement_probes_only_open_rows_with_their_identity():
    """Bisection rounds pass the indices of the still-open problems, so per-problem thresholds stay attached."""
    theta = np.array([0.3, 7.0, 20.0, 2.0])  # problem 2 is capped by the grid, the others stay open
    grid = np.tile(np.geomspace(0.1, 10.0, 5), (4, 1))
    seen = []

    def probe(c, rows, r):
        seen.append(rows.copy())
        return c < theta[rows, None]

    res = coarse_then_bisect(probe, grid, rounds=3, points=2)
    assert np.all(res.gamma_max[[0, 1, 3]] < theta[[0, 1, 3]]) and np.all(res.upper[[0, 1, 3]] >= theta[[0, 1, 3]])
    assert res.capped[2] and all(2 not in s for s in seen[1:])


def test_refinement_keeps_the_first_failure():
    """Convergent islands inside the bracket (1.2, 1.3 fail but 1.4 converges) do not move gamma_max up."""
    pattern = {0: np.array([[True, True, False]]), 1: np.array([[False, True, True]])}
    grid = np.array([[0.5, 1.0, 2.0]])
    res = coarse_then_bisect(lambda c, rows, r: pattern[r], grid, rounds=1, points=3)
    assert res.gamma_max[0] == 1.0 and res.upper[0] == pytest.approx(2.0**0.25)


def test_gd_on_least_squares_finds_two_over_lambda():
    """Plain GD on a quadratic converges iff gamma < 2 / lambda_max(H): the search must land just below it."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((30, 5))
    y = X @ rng.standard_normal(5)
    H = X.T @ X / 30
    thr = 2.0 / np.linalg.eigvalsh(H)[-1]

    def probe(cands, rows, rnd):
        out = np.zeros(cands.shape, dtype=bool)
        for idx, g in np.ndenumerate(cands):
            w = np.zeros(5)
            for _ in range(int(np.ceil(4000 / g))):
                w -= g * (H @ w - X.T @ y / 30)
                if not np.all(np.abs(w) < 1e8):
                    break
            r = X @ w - y
            out[idx] = bool(0.5 * np.mean(r * r) <= 1e-10)
        return out

    res = coarse_then_bisect(probe, np.geomspace(0.1, 10, 8)[None, :] * thr / 2, rounds=4, points=3)
    assert 0.97 * thr <= res.gamma_max[0] < thr <= res.upper[0] * (1 + 1e-12)


def test_dln_probe_gd_is_monotone_at_small_stepsizes():
    data = problem_set(3, 399, 2, {"n": 10, "d": 15, "s": 2})
    probe = dln_probe(
        data.X,
        data.y,
        data.beta_star,
        0.1,
        np.array([10, 10]),
        np.array([20000.0, 20000.0]),
        Stopping(stop_loss=1e-10, converged_loss=1e-10),
        3,
        399,
        [{"b": 10}, {"b": 10}],
    )
    conv = probe(np.array([[0.01, 0.05, 50.0], [0.01, 0.05, 50.0]]), np.array([0, 1]), 0)
    assert conv.shape == (2, 3)
    assert conv[:, :2].all() and not conv[:, 2].any()
    assert "1e-10" in convergence_rule(3e4, 1e-10, 1e-20)
