"""Reductions of simulation arrays to the numbers the highdim verdicts compare (pure functions)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def band(values: Array, lo: float = 0.1, hi: float = 0.9) -> tuple[Array, Array, Array]:
    """(q_lo, median, q_hi) over runs (axis 0), ignoring NaN (diverged) runs."""
    q = np.nanquantile(values, [lo, 0.5, hi], axis=0)
    return q[0], q[1], q[2]


def sup_error(runs_trace: Array, limit_trace: Array) -> Array:
    """Per run sup over time of |run - limit| (runs,)."""
    return np.max(np.abs(runs_trace - limit_trace[None, :]), axis=1)


def loglog_slope(x: Array, y: Array) -> float:
    """Least-squares slope of log y against log x."""
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])


def balance_ratio(
    log_delta_ratio: Array, int_risk: Array, lam_types: Array, gamma: float, batch: int, keep: NDArray[np.bool_]
) -> Array:
    """Per type, mean over runs of log(Delta(t)/Delta(0)) divided by the mean over runs of -2 gamma^2 lam int R / B
    (pooled estimator of the expected identity), at the kept times.

    log_delta_ratio (runs, n_t, n_types), int_risk (runs, n_t) -> (n_kept, n_types)."""
    pred = -2.0 * gamma**2 * lam_types[None, None, :] * int_risk[:, :, None] / batch
    return np.mean(log_delta_ratio[:, keep, :], axis=0) / np.mean(pred[:, keep, :], axis=0)


def wasserstein1_to_density(samples: Array, grid: Array, density: Array) -> float:
    """W1 distance between the empirical law of ``samples`` and a density on a uniform cell-centred grid:
    int |F_emp - F_dens| dz over the grid (samples outside the grid are clipped to it)."""
    dz = float(grid[1] - grid[0])
    edges = np.concatenate([grid - 0.5 * dz, [grid[-1] + 0.5 * dz]])
    cdf_dens = np.concatenate([[0.0], np.cumsum(density) * dz])
    cdf_dens /= cdf_dens[-1]
    cdf_emp = np.searchsorted(np.sort(np.clip(samples, edges[0], edges[-1])), edges, side="right") / samples.size
    gap = np.abs(cdf_emp - cdf_dens)
    return float(np.sum(0.5 * (gap[1:] + gap[:-1])) * dz)


def late_mean(trace: Array, fraction: float) -> Array:
    """Mean over the last ``fraction`` of the record times (last axis)."""
    n = trace.shape[-1]
    start = int(np.floor(n * (1.0 - fraction)))
    return np.mean(trace[..., start:], axis=-1)


def exponential_fit(times: Array, risk: Array) -> tuple[float, float]:
    """(rate, r^2) of the least-squares line through log risk against time."""
    y = np.log(risk)
    slope, icpt = np.polyfit(times, y, 1)
    resid = y - (slope * times + icpt)
    r2 = 1.0 - float(np.sum(resid**2)) / float(np.sum((y - y.mean()) ** 2))
    return float(-slope), r2


def window_rates(times: Array, risk: Array, start: float, windows: int) -> Array:
    """Local exponential rates: the fitted rate of log risk in each of ``windows`` equal consecutive parts of
    [start, times[-1]] (constant for an exponential tail, falling like 1/t for a power law)."""
    edges = np.linspace(start, float(times[-1]), windows + 1)
    rates = []
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        sel = (times >= lo) & (times <= hi)
        rates.append(exponential_fit(times[sel], risk[sel])[0])
    return np.asarray(rates)
