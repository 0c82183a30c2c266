"""The hyperbolic-entropy interpolator, the effective initialisation and the exact implicit problem."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linprog

from dln.data import make_problem
from dln.interpolation import (
    InterpolatorError,
    alpha_from_loss_integral,
    bregman_divergence,
    effective_alpha,
    hyperbolic_entropy,
    hyperbolic_entropy_grad,
    interpolator,
    min_l2_interpolator,
    predicted_solution,
    reference_point,
)
from dln.runs import balanced_init
from dln.training import Stopping, Tracking, train


def weighted_l1_lp(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """argmin sum_i w_i |beta_i| s.t. X beta = y, as a linear program in (p, m) >= 0, beta = p - m."""
    n, d = X.shape
    res = linprog(np.concatenate([w, w]), A_eq=np.hstack([X, -X]), b_eq=y, bounds=(0, None), method="highs")
    assert res.status == 0
    return res.x[:d] - res.x[d:]


def test_entropy_gradient_matches_finite_differences() -> None:
    rng = np.random.default_rng(0)
    beta, alpha = rng.standard_normal(6), np.abs(rng.standard_normal(6)) + 0.1
    grad = hyperbolic_entropy_grad(beta, alpha)
    h = 1e-6
    fd = [
        (hyperbolic_entropy(beta + h * e, alpha) - hyperbolic_entropy(beta - h * e, alpha)) / (2 * h) for e in np.eye(6)
    ]
    np.testing.assert_allclose(grad, fd, rtol=1e-6, atol=1e-8)
    assert hyperbolic_entropy(np.zeros(6), alpha) == pytest.approx(0.0)
    assert bregman_divergence(beta, 0.5 * beta, alpha) > 0


def test_small_alpha_interpolator_is_weighted_l1_solution(small_problem) -> None:
    X, y = small_problem.X, small_problem.y
    rng = np.random.default_rng(1)
    alpha = 1e-12 * np.exp(rng.uniform(0, 2, X.shape[1]))  # coordinate-dependent weights log(1/alpha_i)
    beta = interpolator(X, y, alpha)
    lp = weighted_l1_lp(X, y, np.log(1 / alpha))
    np.testing.assert_allclose(beta, lp, atol=2e-2)
    assert np.linalg.norm(X @ beta - y) <= 1e-9 * (1 + np.linalg.norm(y))


def test_large_alpha_interpolator_is_min_l2(small_problem) -> None:
    X, y = small_problem.X, small_problem.y
    np.testing.assert_allclose(interpolator(X, y, 1e3), min_l2_interpolator(X, y), atol=1e-6)


def test_interpolator_satisfies_kkt_with_reference(small_problem) -> None:
    X, y = small_problem.X, small_problem.y
    rng = np.random.default_rng(2)
    alpha = 0.05 * np.exp(rng.uniform(-1, 1, X.shape[1]))
    ref = 0.01 * rng.standard_normal(X.shape[1])
    beta = interpolator(X, y, alpha, reference=ref)
    lhs = hyperbolic_entropy_grad(beta, alpha) - hyperbolic_entropy_grad(ref, alpha)
    coef, *_ = np.linalg.lstsq(X.T, lhs, rcond=None)  # lhs must lie in span(X^T)
    assert np.linalg.norm(X.T @ coef - lhs) <= 1e-8 * (1 + np.linalg.norm(lhs))
    assert np.linalg.norm(X @ beta - y) <= 1e-9 * (1 + np.linalg.norm(y))


def test_interpolator_survives_tiny_alpha_and_huge_gain(small_problem) -> None:
    X, y = small_problem.X, small_problem.y
    alpha = np.full(X.shape[1], 1e-150)  # alpha^2 = 1e-300: only the log-domain evaluation copes
    beta = interpolator(X, y, alpha)
    assert np.all(np.isfinite(beta))


def test_interpolator_reports_infeasible_system() -> None:
    X = np.array([[1.0, 1.0], [1.0, 1.0]])
    with pytest.raises(InterpolatorError, match="residual"):
        interpolator(X, np.array([1.0, 2.0]), 0.1, max_iter=50)
    with pytest.raises(ValueError, match="alpha"):
        interpolator(X, np.array([1.0, 1.0]), 0.0)


def test_effective_alpha_at_initialisation_is_alpha() -> None:
    u0, v0 = balanced_init(0.3, (2, 5))
    np.testing.assert_allclose(effective_alpha(u0, v0), 0.3)


def _train(method, problem, gamma, steps, alpha=0.1, **kw):
    d = problem.d
    u0, v0 = balanced_init(alpha, (1, d))
    rngs = None if method == "gd" else [np.random.default_rng(11)]
    return train(
        method,
        problem.X[None],
        problem.y[None],
        problem.beta_star[None],
        np.array([0]),
        np.array([gamma]),
        u0,
        v0,
        steps,
        rngs,
        tracking=Tracking(gain=True, loss_integral=True),
        **kw,
    )


@pytest.mark.parametrize(
    ("method", "gamma", "kw"), [("gd", 0.2, {}), ("sgd", 0.05, {"batch_size": 1}), ("sgd", 0.08, {"batch_size": 5})]
)
def test_trained_solution_is_exact_implicit_problem(method, gamma, kw) -> None:
    problem = make_problem(np.random.default_rng(3), n=20, d=30, s=3)
    res = _train(method, problem, gamma, 400000, stopping=Stopping(stop_loss=1e-28), **kw)
    assert res.status[0] == 0
    pred = predicted_solution(problem.X, problem.y, res.u[0], res.v[0], res.increment_sum[0])
    assert np.max(np.abs(pred - res.beta[0])) <= 1e-8
    # without the reference point beta~0 the prediction is measurably worse for SGD
    if method == "sgd":
        plain = interpolator(problem.X, problem.y, effective_alpha(res.u[0], res.v[0]))
        assert np.max(np.abs(plain - res.beta[0])) > 10 * np.max(np.abs(pred - res.beta[0]))


def test_discrete_shrink_law_of_balance() -> None:
    """u^2 - v^2 = 2 alpha^2 prod_k (1 - eps_k^2) exactly: alpha_inf^2 = alpha^2 exp(-Gain)."""
    problem = make_problem(np.random.default_rng(4), n=20, d=30, s=3)
    res = _train("sgd", problem, 0.05, 5000, batch_size=1)
    np.testing.assert_allclose(effective_alpha(res.u, res.v) ** 2, 0.1**2 * np.exp(-res.gain), rtol=1e-10)


def test_balance_is_conserved_in_the_small_step_limit() -> None:
    """At a fixed time horizon, the change of u^2 - v^2 under GD is O(gamma): halving gamma halves it."""
    problem = make_problem(np.random.default_rng(5), n=20, d=30, s=3)
    shrink = []
    for gamma in (0.04, 0.02, 0.01):
        res = _train("gd", problem, gamma, int(round(40 / gamma)))
        shrink.append(np.max(np.abs(1 - effective_alpha(res.u, res.v) ** 2 / 0.1**2)))
    assert shrink[2] < shrink[1] < shrink[0]
    assert shrink[0] / shrink[1] == pytest.approx(2.0, rel=0.2)
    assert shrink[2] < 0.05


def test_loss_integral_formula_matches_sgf_in_small_step_limit() -> None:
    """Paper A: alpha_t = alpha exp(-gamma diag(H) int_0^t L) along the SGF, up to the Euler-Maruyama error."""
    problem = make_problem(np.random.default_rng(6), n=20, d=30, s=3)
    gamma = 0.04
    res = _train("sgf", problem, gamma, 200000, substep=gamma / 10)  # the identity holds at every time t
    formula = alpha_from_loss_integral(0.1, gamma, problem.X, float(res.loss_integral[0]))
    exact = effective_alpha(res.u[0], res.v[0])
    np.testing.assert_allclose(formula, exact, rtol=2e-2)
    assert np.max(np.abs(reference_point(res.u[0], res.v[0], res.increment_sum[0]))) < 0.05
