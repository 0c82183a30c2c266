"""Explicit penalties of MTL and PT+FT per coordinate, their order and feature dependence.

Paper's parameterisation: beta = w+ v+ - w- v-. ``q(z) = 2 - sqrt(4 + z^2) + z asinh(z/2)`` (Woodworth et al.
2020) is the hyperbolic-entropy building block; ``P_MTL(b | a) = sqrt(b^2 + a^2) - |a|`` is the per-coordinate
group-norm cost of adding a main coefficient b to an auxiliary coefficient a; ``P_FT(b | a) = s q(2b / s)``
with ``s = |a| + gamma^2`` is the symmetric PT+FT penalty. The order is d ln P / d ln|b| and the feature
dependence d ln P / d ln|a|; for gamma = 0 both penalties are 1-homogeneous so order + dependence = 1.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]


def q(z: ArrayLike) -> Array:
    """q(z) = 2 - sqrt(4 + z^2) + z asinh(z/2), computed stably for small |z| (q ~ z^2/4)."""
    x = np.abs(np.asarray(z, dtype=float))
    r = np.sqrt(4.0 + x * x)
    # 2 - sqrt(4+z^2) = -z^2 / (2 + sqrt(4+z^2)) avoids cancellation
    return np.asarray(x * np.arcsinh(x / 2.0) - x * x / (2.0 + r))


def q_prime(z: ArrayLike) -> Array:
    """q'(z) = asinh(z / 2)."""
    return np.asarray(np.arcsinh(np.asarray(z, dtype=float) / 2.0))


def p_mtl(beta: ArrayLike, beta_aux: ArrayLike) -> Array:
    """MTL penalty of a main coefficient given the auxiliary one: sqrt(b^2 + a^2) - |a| (stable form)."""
    b, a = np.abs(np.asarray(beta, dtype=float)), np.abs(np.asarray(beta_aux, dtype=float))
    return np.asarray(b * b / (np.sqrt(b * b + a * a) + a))


def p_ft(beta: ArrayLike, beta_aux: ArrayLike, gamma: float = 0.0) -> Array:
    """Symmetric PT+FT penalty s q(2b / s), s = |a| + gamma^2 (readout re-initialised at gamma)."""
    s = np.abs(np.asarray(beta_aux, dtype=float)) + gamma**2
    return np.asarray(s * q(2.0 * np.asarray(beta, dtype=float) / s))


def order_mtl(beta: ArrayLike, beta_aux: ArrayLike) -> Array:
    """d ln P_MTL / d ln|b| = 1 + |a| / sqrt(b^2 + a^2)."""
    b, a = np.abs(np.asarray(beta, dtype=float)), np.abs(np.asarray(beta_aux, dtype=float))
    return np.asarray(1.0 + a / np.sqrt(b * b + a * a))


def order_ft(beta: ArrayLike, beta_aux: ArrayLike, gamma: float = 0.0) -> Array:
    """d ln P_FT / d ln|b| = z q'(z) / q(z), z = 2|b| / (|a| + gamma^2)."""
    s = np.abs(np.asarray(beta_aux, dtype=float)) + gamma**2
    z = 2.0 * np.abs(np.asarray(beta, dtype=float)) / s
    return np.asarray(z * q_prime(z) / q(z))


def log_derivatives(penalty, beta: ArrayLike, beta_aux: ArrayLike, step: float = 1e-3) -> tuple[Array, Array]:
    """(order, feature dependence) of ``penalty(b, a)`` by central differences in log space (as the paper)."""
    b, a = np.asarray(beta, dtype=float), np.asarray(beta_aux, dtype=float)
    e = np.exp(step)

    def dlog(f_hi: Array, f_lo: Array) -> Array:
        return np.asarray((np.log(f_hi) - np.log(f_lo)) / (2.0 * step))

    order = dlog(penalty(b * e, a), penalty(b / e, a))
    dependence = dlog(penalty(b, a * e), penalty(b, a / e))
    return order, dependence


def switch_point(betas: Array, slope: Array) -> float:
    """The magnitude where a log-log slope crosses 1.5 (midway between the l1 and l2 limits), interpolated."""
    above = slope >= 1.5
    if above.all() or (~above).all():
        return float("nan")
    i = int(np.flatnonzero(np.diff(above.astype(int)) != 0)[0])
    lx = np.log(betas[i : i + 2])
    t = (1.5 - slope[i]) / (slope[i + 1] - slope[i])
    return float(np.exp(lx[0] + t * (lx[1] - lx[0])))
