"""The gain vector of Even et al. 2023, tracked and recovered from a final iterate.

Tracked: Gain = sum_k q(gamma_k g_k), q(x) = -1/2 log((1 - x^2)^2), and Gain_+ = sum_k q_+(gamma_k g_k),
q_+(x) = -2x - log((1 - x)^2) (accumulated by `dln.training`, step by step). They fix the implicit problem of the
paper's Thm 1 without looking at the final iterate: alpha_inf^2 = alpha^2 exp(-Gain), alpha_+^2 = alpha^2
exp(-Gain_+), alpha_-^2 = alpha_inf^4 / alpha_+^2 and beta~0 = (alpha_+^2 - alpha_-^2) / 2 (`path_problem`).
Recovered: u^2 - v^2 = 2 alpha^2 prod_k (1 - gamma_k^2 g_k^2), so alpha_inf^2 = |u^2 - v^2| / 2 and
Gain = log(alpha^2 / alpha_inf^2). The two must agree to round-off for every run that did not diverge.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dln.interpolation import effective_alpha

Array = NDArray[np.float64]


def q(x: ArrayLike) -> Array:
    """q(x) = -1/2 log((1 - x^2)^2) = -log|1 - x^2|: the per-step gain."""
    x_ = np.asarray(x, dtype=float)
    return np.asarray(-np.log(np.abs(1.0 - x_ * x_)))


def gain_from_iterate(u: ArrayLike, v: ArrayLike, alpha: ArrayLike) -> Array:
    """Gain = log(alpha^2 / alpha_inf^2) with alpha_inf = sqrt(|u^2 - v^2| / 2) read off the iterate."""
    a_inf = effective_alpha(u, v)
    return np.asarray(2.0 * (np.log(np.asarray(alpha, dtype=float)) - np.log(a_inf)))


def gain_identity_error(tracked: ArrayLike, u: ArrayLike, v: ArrayLike, alpha: ArrayLike) -> Array:
    """Per run: max_i |Gain_tracked - Gain_recovered| / (1 + |Gain_tracked|) (rows of a batch)."""
    t = np.asarray(tracked, dtype=float)
    with np.errstate(divide="ignore"):
        rec = gain_from_iterate(u, v, alpha)
    return np.asarray(np.max(np.abs(t - rec) / (1.0 + np.abs(t)), axis=-1))


def recovery_resolution(u: ArrayLike, v: ArrayLike, steps: ArrayLike) -> Array:
    """Per run and coordinate: the float64 resolution of the recovered gain, sqrt(steps) eps (u^2+v^2)/|u^2-v^2|.

    u and v are rounded at every step, so u^2 - v^2 carries an error that grows like sqrt(steps) eps (u^2 + v^2);
    the recovered log(alpha^2 / alpha_inf^2) is only determined to this relative precision.
    """
    a, b = np.asarray(u, dtype=float) ** 2, np.asarray(v, dtype=float) ** 2
    k = np.sqrt(np.maximum(np.asarray(steps, dtype=float), 1.0))[..., None]
    with np.errstate(divide="ignore"):
        return np.asarray(k * np.finfo(float).eps * (a + b) / np.abs(a - b))


def gain_identity_score(
    tracked: ArrayLike, u: ArrayLike, v: ArrayLike, alpha: ArrayLike, steps: ArrayLike, alpha_rtol: float = 1e-3
) -> Array:
    """Per run: max_i |Gain_tracked - Gain_recovered| / (2 alpha_rtol + 10 resolution_i); <= 1 means the two give
    the same alpha_inf to relative ``alpha_rtol`` (|d log alpha_inf| = |d Gain| / 2), up to the float64 resolution of
    the final iterate (see `recovery_resolution`). Coordinates with u^2 = v^2 in float64 carry no information."""
    t = np.asarray(tracked, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rec = gain_from_iterate(u, v, alpha)
        tol = 2.0 * alpha_rtol + 10.0 * recovery_resolution(u, v, steps)
        score = np.abs(t - rec) / tol
    return np.asarray(np.max(np.where(np.isfinite(tol), score, 0.0), axis=-1))


def path_problem(alpha: ArrayLike, gain: ArrayLike, gain_plus: ArrayLike) -> tuple[Array, Array]:
    """(alpha_inf, beta~0) of the implicit problem from the tracked gains alone (no final iterate):
    alpha_inf = alpha exp(-Gain / 2) and beta~0 = (alpha_+^2 - alpha_-^2) / 2 = alpha_inf^2 sinh(Gain - Gain_+)."""
    g = np.asarray(gain, dtype=float)
    a_inf = np.asarray(alpha, dtype=float) * np.exp(-0.5 * g)
    return np.asarray(a_inf), np.asarray(a_inf**2 * np.sinh(g - np.asarray(gain_plus, dtype=float)))


def support_ratio(gain: ArrayLike, support: ArrayLike) -> Array:
    """mean(Gain on supp(beta*)) / mean(Gain off it), per row; ``support`` is a boolean mask of the same shape."""
    g = np.asarray(gain, dtype=float)
    m = np.asarray(support, dtype=bool)
    on = np.sum(np.where(m, g, 0.0), axis=-1) / np.sum(m, axis=-1)
    off = np.sum(np.where(m, 0.0, g), axis=-1) / np.sum(~m, axis=-1)
    return np.asarray(on / off)


def weights_with(beta: ArrayLike, balance: ArrayLike) -> tuple[Array, Array]:
    """The weights (u, v) with u v = beta and u^2 - v^2 = balance (elementwise; the larger of |u|, |v| positive).

    ``balance`` = 2 alpha_inf^2 (with its sign) carries what the gain did to the run, so that keeping it while
    changing beta builds an interpolator with the same alpha_inf (what the null models of the family use).
    """
    b = np.asarray(beta, dtype=float)
    c = np.asarray(balance, dtype=float)
    big = np.sqrt(0.5 * (np.abs(c) + np.sqrt(c * c + 4.0 * b * b)))  # the larger of |u|, |v|
    with np.errstate(divide="ignore", invalid="ignore"):
        small = np.where(c == 0, np.sign(b) * big, np.where(big > 0, b / big, 0.0))  # balance 0: |u| = |v| exactly
    return np.where(c >= 0, big, small), np.where(c >= 0, small, big)
