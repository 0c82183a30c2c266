"""Sharpness of the diagonal-network loss and the edge-of-stability stepsize.

At an interpolator w = (u, v) the Hessian of F(w) = L(u * v) is J^T J with J = n^{-1/2} [X diag(v), X diag(u)],
whose non-zero spectrum is that of K(w) = (1/n) X diag(u^2 + v^2) X^T. S(w) = lambda_max(K(w)); GD can only
converge to w if gamma S(w) <= 2. Along gradient flow u^2 - v^2 = 2 alpha^2, so u^2 + v^2 = 2 sqrt(beta^2 + alpha^4)
and gamma_EoS = 2 / S at the gradient-flow solution argmin_{X beta = y} psi_alpha(beta).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dln.interpolation import interpolator

Array = NDArray[np.float64]


def sharpness(X: ArrayLike, u: ArrayLike, v: ArrayLike) -> Array:
    """S(w) = lambda_max((1/n) X diag(u^2 + v^2) X^T), batched over leading axes of u, v (X: (n, d))."""
    X_ = np.asarray(X, dtype=float)
    w = np.asarray(u, dtype=float) ** 2 + np.asarray(v, dtype=float) ** 2
    K = np.einsum("id,...d,jd->...ij", X_, w, X_) / X_.shape[0]
    return np.asarray(np.linalg.eigvalsh(K)[..., -1])


def sharpness_of_beta_on_flow(X: ArrayLike, beta: ArrayLike, alpha: ArrayLike) -> Array:
    """S at the weights gradient flow associates with beta (u^2 - v^2 = 2 alpha^2, u v = beta)."""
    b = np.asarray(beta, dtype=float)
    a2 = np.asarray(alpha, dtype=float) ** 2
    w = 2.0 * np.sqrt(b * b + a2 * a2)  # u^2 + v^2
    return sharpness(X, np.sqrt(w), np.zeros_like(w))


def gamma_eos(X: ArrayLike, y: ArrayLike, alpha: ArrayLike) -> float:
    """gamma_EoS = 2 / S(w_GF): the largest stepsize at which GD can converge to the gradient-flow solution."""
    beta_gf = interpolator(X, y, alpha)
    return float(2.0 / sharpness_of_beta_on_flow(X, beta_gf, alpha))


def top_curvature(X: ArrayLike) -> float:
    """lambda_max(X^T X / n): the reference scale of stepsizes (gamma lambda_max is reported beside gamma/gamma_max)."""
    X_ = np.asarray(X, dtype=float)
    return float(np.linalg.eigvalsh(X_.T @ X_ / X_.shape[0])[-1])
