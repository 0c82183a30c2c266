"""Closed-form predictions of the high-dimensional limit (convention C1).

* Delta law: Delta_i(t) = Delta_i(0) exp(-2 gamma^2 lam_i int_0^t R / B) (checked on SGD as a ratio,
  `dln.highdim.analysis.balance_ratio`).
* Noise floor: R_inf = (sigma^2/2) / (1 - gamma c / 2), c the curvature <lam s> at late times.
* Critical stepsize: gamma_c = 2 / c_inf, c_inf = <lam sqrt(Delta_inf^2 + 4 beta*^2)> (Delta_inf = 0 if sigma > 0).
* Late exponential rate (sigma = 0): the root r in (0, 2 gamma min lam s*) of
  gamma^2 <lam^2 s*^2 / (2 gamma lam s* - r)> = 1.
* Lazy limit (s frozen): the risk solves the Volterra equation R = F + K * R of least squares with H = diag(lam s).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import brentq

Array = NDArray[np.float64]


def noise_floor(sigma: float, gamma: Array | float, curvature: Array | float) -> Array:
    """Quasi-stationary risk (sigma^2/2) / (1 - gamma c / 2); infinite at or beyond the critical stepsize."""
    denom = 1.0 - 0.5 * np.asarray(gamma) * np.asarray(curvature)
    return np.where(denom > 0, 0.5 * sigma**2 / np.where(denom > 0, denom, 1.0), np.inf)


def limiting_curvature(weight: Array, lam: Array, bstar: Array, delta_inf: Array) -> float:
    """c_inf = <lam sqrt(Delta_inf^2 + 4 beta*^2)> (coordinates frozen at beta*)."""
    return float(np.sum(weight * lam * np.sqrt(delta_inf**2 + 4.0 * bstar**2)))


def critical_stepsize(curvature: float) -> float:
    """gamma_c = 2 / c_inf."""
    return 2.0 / curvature


def late_rate(weight: Array, lam: Array, bstar: Array, delta_inf: Array, gamma: float) -> float:
    """Exponential decay rate of R(t) at late times (sigma = 0), from the linearised Volterra equation."""
    live = weight > 0
    w, lam, s = weight[live], lam[live], np.sqrt(delta_inf[live] ** 2 + 4.0 * bstar[live] ** 2)
    r_max = 2.0 * gamma * float(np.min(lam * s))

    def f(r: float) -> float:
        return gamma**2 * float(np.sum(w * lam**2 * s**2 / (2.0 * gamma * lam * s - r))) - 1.0

    if f(0.0) >= 0:
        return 0.0  # at or beyond the critical stepsize: no decay
    hi = r_max * (1.0 - 1e-15)
    return brentq(f, 0.0, hi, xtol=1e-14 * r_max) if f(hi) > 0 else r_max


def lazy_volterra_risk(
    weight: Array, lam: Array, s: Array, e0: Array, gamma: float, sigma: float, times: Array, batch: int = 1
) -> Array:
    """Risk of the lazy (frozen s) dynamics: R(t) = sigma^2/2 + <lam e0^2 exp(-2 gamma lam s t)>/2
    + int_0^t K(t - tau) R(tau) dtau with K(tau) = (gamma^2/B) <lam^2 s^2 exp(-2 gamma lam s tau)>.
    Trapezoidal rule on the uniform grid ``times`` (starting at 0)."""
    dt = float(times[1] - times[0])
    rate = 2.0 * gamma * lam * s
    F = 0.5 * sigma**2 + 0.5 * np.exp(-np.outer(times, rate)) @ (weight * lam * e0**2)
    K = (gamma**2 / batch) * (np.exp(-np.outer(times, rate)) @ (weight * lam**2 * s**2))
    R = np.empty_like(F)
    R[0] = F[0]
    for n in range(1, times.size):
        acc = 0.5 * K[n] * R[0] + np.dot(K[n - 1 : 0 : -1], R[1:n])
        R[n] = (F[n] + dt * acc) / (1.0 - 0.5 * dt * K[0])
    return R
