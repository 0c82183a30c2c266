"""Gain identities of Even et al. 2023: tracked gain = gain read off the final iterate; exact implicit problem."""

import numpy as np
import pytest

from dln.interpolation import alpha_pm, effective_alpha, interpolator, predicted_solution, reference_point
from dln.runs import balanced_init, problem_set
from dln.seeds import run_rng
from dln.stepsizes.gain import (
    gain_from_iterate,
    gain_identity_error,
    gain_identity_score,
    path_problem,
    q,
    support_ratio,
)
from dln.stepsizes.tables import dual_start
from dln.training import CONVERGED, Stopping, Tracking, train

ALPHA = 0.1


def test_q_small_argument_and_singularity():
    x = np.array([0.0, 1e-4, 0.5])
    assert q(x)[0] == 0.0
    assert q(x)[1] == pytest.approx(1e-8, rel=1e-6)
    assert q(x)[2] == pytest.approx(-np.log(0.75))
    with np.errstate(divide="ignore"):
        assert q(np.array([1.0]))[0] == np.inf


@pytest.fixture(scope="module")
def trained():
    data = problem_set(7, 399, 2, {"n": 12, "d": 20, "s": 2})
    rows = np.array([0, 0, 1, 1, 0, 1])
    batch = np.array([12, 12, 1, 1, 3, 3])
    gamma = np.array([0.05, 0.2, 0.03, 0.06, 0.05, 0.08])
    u0, v0 = balanced_init(ALPHA, (rows.size, 20))
    rngs = [run_rng(7, 399, {"test": "gain"}, i) for i in range(rows.size)]
    res = train(
        "sgd",
        data.X,
        data.y,
        data.beta_star,
        rows,
        gamma,
        u0,
        v0,
        400000,
        rngs,
        batch_size=batch,
        stopping=Stopping(stop_loss=1e-26),
        tracking=Tracking(gain=True, gain_plus=True),
        progress=False,
    )
    return data, rows, res


def test_tracked_gain_equals_recovered_gain(trained):
    _, _, res = trained
    assert np.all(res.status == CONVERGED) and np.all(res.final_loss < 1e-20)
    assert np.max(gain_identity_error(res.gain, res.u, res.v, ALPHA)) < 1e-9
    assert np.max(gain_identity_score(res.gain, res.u, res.v, ALPHA, res.steps)) <= 1.0
    # alpha_inf^2 = alpha^2 exp(-Gain) and alpha_inf^2 = alpha_+ alpha_-
    a_inf = effective_alpha(res.u, res.v)
    np.testing.assert_allclose(a_inf**2, ALPHA**2 * np.exp(-res.gain), rtol=1e-9)
    ap2, am2 = alpha_pm(res.u, res.v, res.increment_sum)
    np.testing.assert_allclose(np.sqrt(ap2 * am2), a_inf**2, rtol=1e-9)
    assert np.all(res.gain > 0)  # |gamma g| < sqrt(2) here, so alpha_inf < alpha


def test_trained_beta_solves_the_exact_implicit_problem(trained):
    data, rows, res = trained
    for i, s in enumerate(rows):
        pred = predicted_solution(data.X[s], data.y[s], res.u[i], res.v[i], res.increment_sum[i])
        assert np.max(np.abs(pred - res.u[i] * res.v[i])) < 1e-8
        # the reference point matters at this precision for the larger stepsizes
        assert np.max(np.abs(reference_point(res.u[i], res.v[i], res.increment_sum[i]))) < 0.1


def test_tracked_gain_plus_fixes_the_implicit_problem(trained):
    """alpha_+^2 = alpha^2 exp(-Gain_+) (tracked) equals its closed form from the final iterate, and the problem
    from the tracked gains alone (path_problem) predicts the trained beta."""
    data, rows, res = trained
    ap2, am2 = alpha_pm(res.u, res.v, res.increment_sum)
    np.testing.assert_allclose(ap2, ALPHA**2 * np.exp(-res.extras["gain_plus"]), rtol=1e-9)
    np.testing.assert_allclose(am2, ALPHA**2 * np.exp(res.extras["gain_plus"] - 2 * res.gain), rtol=1e-9)
    a_inf, ref = path_problem(ALPHA, res.gain, res.extras["gain_plus"])
    np.testing.assert_allclose(ref, reference_point(res.u, res.v, res.increment_sum), rtol=1e-7, atol=1e-15)
    for i, s in enumerate(rows):
        pred = interpolator(data.X[s], data.y[s], a_inf[i], reference=ref[i])
        assert np.max(np.abs(pred - res.u[i] * res.v[i])) < 1e-8
        # without the reference point the prediction misses the trained beta
        assert np.max(np.abs(interpolator(data.X[s], data.y[s], a_inf[i]) - res.u[i] * res.v[i])) > 1e-6


@pytest.mark.parametrize("method", ["gd", "sgd"])
def test_gain_plus_is_the_same_in_both_engines(method):
    data = problem_set(3, 398, 2, {"n": 8, "d": 12, "s": 2})
    rows = np.array([0, 1, 0, 1] * 3)  # 12 GD runs on 2 problems: the grouped kernel for GD
    gamma = np.linspace(0.05, 0.3, rows.size)
    u0, v0 = balanced_init(ALPHA, (rows.size, 12))
    out = {}
    for engine in ("numba", "numpy"):
        rngs = None if method == "gd" else [run_rng(3, 398, {"test": "gain_plus"}, i) for i in range(rows.size)]
        out[engine] = train(
            method,  # type: ignore[arg-type]
            data.X,
            data.y,
            data.beta_star,
            rows,
            gamma,
            u0,
            v0,
            3000,
            rngs,
            batch_size=1 if method == "sgd" else None,
            tracking=Tracking(gain=True, gain_plus=True),
            engine=engine,  # type: ignore[arg-type]
            progress=False,
        )
    np.testing.assert_allclose(out["numba"].extras["gain_plus"], out["numpy"].extras["gain_plus"], atol=1e-11)
    np.testing.assert_allclose(out["numba"].gain, out["numpy"].gain, atol=1e-11)


def test_gain_from_iterate_at_init_is_zero_and_support_ratio():
    u0, v0 = balanced_init(ALPHA, (1, 5))
    np.testing.assert_allclose(gain_from_iterate(u0, v0, ALPHA), 0.0, atol=1e-14)
    g = np.array([[4.0, 4.0, 1.0, 1.0, 1.0]])
    assert support_ratio(g, np.array([[True, True, False, False, False]]))[0] == pytest.approx(4.0)


def test_interpolator_start_does_not_change_the_solution(trained):
    """`interpolator(start=...)` (the dual point the solve begins at) finds the same argmin; `dual_start` from the
    trained iterate is where the exact check restarts a solve that stalls from 0."""
    data, rows, res = trained
    a_inf, ref = path_problem(ALPHA, res.gain, res.extras["gain_plus"])
    s, i = int(rows[3]), 3
    cold = interpolator(data.X[s], data.y[s], a_inf[i], reference=ref[i])
    start = dual_start(data.X[s], a_inf[i], ref[i], res.u[i] * res.v[i])
    warm = interpolator(data.X[s], data.y[s], a_inf[i], reference=ref[i], start=start)
    far = interpolator(data.X[s], data.y[s], a_inf[i], reference=ref[i], start=np.full(data.X.shape[1], 0.3))
    np.testing.assert_allclose(warm, cold, atol=1e-10)
    np.testing.assert_allclose(far, cold, atol=1e-10)


def test_exact_errors_count_an_underflowing_alpha_inf_as_unsolved() -> None:
    """A gain so large that alpha_inf^2 underflows (as under the doubled-gain null at paper scale) leaves no
    interpolation problem: that run's error is inf (the exact check fails) instead of an exception."""
    from types import SimpleNamespace

    import numpy as np

    from dln.stepsizes.tables import exact_errors

    rng = np.random.default_rng(0)
    X = rng.standard_normal((1, 4, 8))
    r = SimpleNamespace(alpha=0.1, X=X, y=X[:, :, :2].sum(axis=2))
    t = {"data": np.array([0]), "gain": np.full((1, 8), 800.0), "gain_plus": np.zeros((1, 8)), "beta": np.zeros((1, 8))}
    err, warm = exact_errors(r, t, np.array([0]))
    assert np.isinf(err[0]) and not warm[0]
