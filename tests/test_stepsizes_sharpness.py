"""Sharpness S(w) = lambda_max((1/n) X diag(u^2 + v^2) X^T) against a dense Hessian eigen-solve."""

import numpy as np
import pytest

from dln.interpolation import interpolator
from dln.runs import problem_set
from dln.stepsizes.sharpness import gamma_eos, sharpness, sharpness_of_beta_on_flow, top_curvature


def _grad(X, y, w):
    d = X.shape[1]
    u, v = w[:d], w[d:]
    g = X.T @ (X @ (u * v) - y) / X.shape[0]
    return np.concatenate([g * v, g * u])


def _dense_hessian(X, y, w, h=1e-6):
    """Central finite differences of the analytic gradient of F(w) = L(u * v)."""
    m = w.size
    H = np.empty((m, m))
    for j in range(m):
        e = np.zeros(m)
        e[j] = h
        H[:, j] = (_grad(X, y, w + e) - _grad(X, y, w - e)) / (2 * h)
    return 0.5 * (H + H.T)


@pytest.fixture(scope="module")
def problem():
    p = problem_set(11, 399, 1, {"n": 8, "d": 12, "s": 2}).problems[0]
    return p.X, p.y


def test_sharpness_equals_top_hessian_eigenvalue_at_an_interpolator(problem):
    X, y = problem
    alpha = 0.3
    beta = interpolator(X, y, alpha)
    u = np.sqrt(np.sqrt(beta**2 + alpha**4) + alpha**2)  # u^2 - v^2 = 2 alpha^2, u v = beta
    v = beta / u
    dense = np.linalg.eigvalsh(_dense_hessian(X, y, np.concatenate([u, v])))[-1]
    assert float(sharpness(X, u, v)) == pytest.approx(dense, rel=1e-6)
    assert float(sharpness_of_beta_on_flow(X, beta, alpha)) == pytest.approx(dense, rel=1e-6)
    assert gamma_eos(X, y, alpha) == pytest.approx(2.0 / dense, rel=1e-6)


def test_sharpness_is_batched_and_scales_with_weights(problem):
    X, _ = problem
    rng = np.random.default_rng(0)
    u, v = rng.standard_normal((3, 12)), rng.standard_normal((3, 12))
    batched = sharpness(X, u, v)
    assert batched.shape == (3,)
    np.testing.assert_allclose(batched, [float(sharpness(X, u[i], v[i])) for i in range(3)])
    assert float(sharpness(X, 2 * u[0], 2 * v[0])) == pytest.approx(4 * batched[0])
    # at u^2 + v^2 = 1 the sharpness is lambda_max(X X^T / n) = lambda_max(X^T X / n)
    assert float(sharpness(X, np.ones(12), np.zeros(12))) == pytest.approx(top_curvature(X))
