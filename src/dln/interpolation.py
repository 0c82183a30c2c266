"""Implicit bias of (S)GD on diagonal linear networks: hyperbolic entropy and its interpolators.

Convention (see the README): beta = u * v, u0 = sqrt(2) alpha, v0 = 0, loss ||X beta - y||^2 / (2n).

* ``hyperbolic_entropy``  psi_alpha(beta) = 1/2 sum_i [beta_i asinh(beta_i/alpha_i^2) - sqrt(beta_i^2 + alpha_i^4)
  + alpha_i^2]; gradient flow from alpha converges to argmin psi_alpha over the interpolators.
* ``interpolator``  argmin_{X beta = y} D_{psi_alpha}(beta, reference) by damped Newton on the n-dimensional
  dual; beta(nu) = alpha^2 sinh(c + 2 X^T nu), c = asinh(reference / alpha^2).
* ``effective_alpha`` / ``reference_point``  the effective initialisation alpha_inf and the reference point
  beta~_0 read off a final iterate (Even et al. 2023): then beta_inf = interpolator(X, y, alpha_inf, beta~_0)
  exactly, for any stepsizes and batch sizes.
* ``alpha_from_loss_integral``  Pesme et al. 2021's small-step formula alpha_inf = alpha exp(-gamma diag(H) int L).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]

_LOG_HALF = np.log(0.5)
_MAX_DZ = 16.0  # largest change of any dual coordinate z_i per Newton iteration


class InterpolatorError(RuntimeError):
    """The dual Newton solve did not reach the required residual."""


def hyperbolic_entropy(beta: ArrayLike, alpha: ArrayLike) -> Array:
    """psi_alpha(beta), summed over the last axis (alpha scalar or per coordinate)."""
    b = np.asarray(beta, dtype=float)
    a2 = np.asarray(alpha, dtype=float) ** 2
    terms = b * np.arcsinh(b / a2) - np.sqrt(b * b + a2 * a2) + a2
    return np.asarray(0.5 * np.sum(terms, axis=-1))


def hyperbolic_entropy_grad(beta: ArrayLike, alpha: ArrayLike) -> Array:
    """grad psi_alpha(beta) = asinh(beta / alpha^2) / 2."""
    a2 = np.asarray(alpha, dtype=float) ** 2
    return np.asarray(0.5 * np.arcsinh(np.asarray(beta, dtype=float) / a2))


def bregman_divergence(beta: ArrayLike, reference: ArrayLike, alpha: ArrayLike) -> Array:
    """D_psi(beta, reference) = psi(beta) - psi(ref) - <grad psi(ref), beta - ref>."""
    b, r = np.asarray(beta, dtype=float), np.asarray(reference, dtype=float)
    return np.asarray(
        hyperbolic_entropy(b, alpha)
        - hyperbolic_entropy(r, alpha)
        - np.sum(hyperbolic_entropy_grad(r, alpha) * (b - r), axis=-1)
    )


def _scaled_sinh_cosh(log_a2: Array, z: Array) -> tuple[Array, Array]:
    """(a^2 sinh z, a^2 cosh z) computed in the log domain, safe for tiny a^2 and large |z|."""
    big = np.abs(z) + log_a2 + _LOG_HALF
    small = np.exp(-2.0 * np.abs(z))
    with np.errstate(over="ignore"):
        mag = np.exp(big)
    return np.sign(z) * mag * (1.0 - small), mag * (1.0 + small)


def interpolator(
    X: ArrayLike,
    y: ArrayLike,
    alpha: ArrayLike,
    reference: ArrayLike | None = None,
    *,
    tol: float = 1e-13,
    max_iter: int = 1000,
    start: ArrayLike | None = None,
) -> Array:
    """argmin over {beta : X beta = y} of D_{psi_alpha}(beta, reference) (reference None means 0).

    Damped Newton (Armijo backtracking) on the smooth convex dual
    G(nu) = 1/2 sum_i a_i^2 cosh(c_i + 2 (X^T nu)_i) - <y, nu>, whose gradient is X beta(nu) - y, from the dual
    point ``start`` (None: 0). The answer does not depend on the start (the problem is strictly convex, and any
    beta(nu) with X beta(nu) = y is its solution), but from 0 the solve can stall when some alpha_i^2 are
    astronomically small (the dual Hessian is then singular there).

    Raises:
        InterpolatorError: if the residual ||X beta - y|| cannot be brought below 1e-9 (1 + ||y||).
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, d = X.shape
    a2 = np.broadcast_to(np.asarray(alpha, dtype=float) ** 2, (d,))
    if not np.all(np.isfinite(a2)) or np.any(a2 <= 0):
        raise ValueError("alpha must be finite and positive in every coordinate")
    log_a2 = np.log(a2)
    c = np.zeros(d) if reference is None else np.arcsinh(np.asarray(reference, dtype=float) / a2)
    scale = 1.0 + float(np.linalg.norm(y))
    nu = np.zeros(n) if start is None else np.array(start, dtype=float)

    def dual(nu_: Array) -> tuple[float, Array, Array]:
        z = c + 2.0 * (X.T @ nu_)
        s, ch = _scaled_sinh_cosh(log_a2, z)
        return 0.5 * float(np.sum(ch)) - float(y @ nu_), s, ch

    value, beta, cosh_term = dual(nu)
    residual = np.inf
    for _ in range(max_iter):
        grad = X @ beta - y
        residual = float(np.linalg.norm(grad))
        if residual <= tol * scale:
            break
        # normalise the Hessian so that tiny alpha^2 scales neither underflow nor go singular
        weights = cosh_term / np.max(cosh_term)
        hess = 2.0 * (X * weights) @ X.T
        try:
            step = np.linalg.solve(hess, grad) / np.max(cosh_term)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(hess, grad, rcond=None)[0] / np.max(cosh_term)
        # trust region in z = c + 2 X^T nu: from tiny alpha the raw Newton step is astronomically long
        dz = 2.0 * float(np.max(np.abs(X.T @ step)))
        if dz > _MAX_DZ:
            step *= _MAX_DZ / dz
        slope = float(grad @ step)
        t = 1.0
        while True:
            cand = nu - t * step
            cand_value, cand_beta, cand_cosh = dual(cand)
            sufficient = np.isfinite(cand_value) and cand_value <= value - 0.25 * t * slope
            # near the optimum the dual value is dominated by round-off: fall back on the residual
            if sufficient or np.linalg.norm(X @ cand_beta - y) < (1.0 - 0.25 * t) * residual:
                break
            t *= 0.5
            if t < 1e-14:
                break
        if t < 1e-14:
            break  # no further decrease possible at this precision
        nu, value, beta, cosh_term = cand, cand_value, cand_beta, cand_cosh
    residual = float(np.linalg.norm(X @ beta - y))
    if not residual <= 1e-9 * scale:
        raise InterpolatorError(f"interpolator: residual {residual:.3e} > 1e-9 (1 + ||y||) = {1e-9 * scale:.3e}")
    return np.asarray(beta)


def effective_alpha(u: ArrayLike, v: ArrayLike) -> Array:
    """alpha_inf = sqrt(|u^2 - v^2| / 2), elementwise (equals alpha at initialisation)."""
    u_, v_ = np.asarray(u, dtype=float), np.asarray(v, dtype=float)
    return np.asarray(np.sqrt(np.abs(u_ * u_ - v_ * v_) / 2.0))


def alpha_pm(u: ArrayLike, v: ArrayLike, increment_sum: ArrayLike) -> tuple[Array, Array]:
    """(alpha_+^2, alpha_-^2) from a final iterate and Z = sum_k eps_k (Even et al. 2023, closed form).

    alpha_+^2 = (u + v)^2 e^{2Z} / 2 and alpha_-^2 = (u - v)^2 e^{-2Z} / 2; their product is alpha_inf^4.
    """
    u_, v_, z = (np.asarray(a, dtype=float) for a in (u, v, increment_sum))
    return 0.5 * (u_ + v_) ** 2 * np.exp(2.0 * z), 0.5 * (u_ - v_) ** 2 * np.exp(-2.0 * z)


def reference_point(u: ArrayLike, v: ArrayLike, increment_sum: ArrayLike) -> Array:
    """beta~_0 = (alpha_+^2 - alpha_-^2) / 2: the reference point of the exact implicit problem."""
    ap2, am2 = alpha_pm(u, v, increment_sum)
    return np.asarray(0.5 * (ap2 - am2))


def predicted_solution(X: ArrayLike, y: ArrayLike, u: ArrayLike, v: ArrayLike, increment_sum: ArrayLike) -> Array:
    """argmin_{X beta = y} D_{psi_{alpha_inf}}(beta, beta~_0), with alpha_inf and beta~_0 read off (u, v, Z)."""
    return interpolator(X, y, effective_alpha(u, v), reference=reference_point(u, v, increment_sum))


def alpha_from_loss_integral(alpha: ArrayLike, stepsize: float, X: ArrayLike, loss_integral: float) -> Array:
    """Pesme et al. 2021: alpha_inf = alpha exp(-gamma diag(X^T X / n) int_0^inf L(beta_s) ds).

    ``loss_integral`` is int L dt in our loss convention (||r||^2 / (2n)), time t = gamma * steps.
    """
    X_ = np.asarray(X, dtype=float)
    diag_h = np.mean(X_ * X_, axis=0)
    return np.asarray(np.asarray(alpha, dtype=float) * np.exp(-stepsize * diag_h * loss_integral))


def min_l2_interpolator(X: ArrayLike, y: ArrayLike) -> Array:
    """X^T (X X^T)^{-1} y: the large-alpha limit of the interpolator."""
    X_ = np.asarray(X, dtype=float)
    return np.asarray(X_.T @ np.linalg.solve(X_ @ X_.T, np.asarray(y, dtype=float)))
