"""Array transforms the highdim null models are built from (pure functions, last axis = time).

Each turns recorded traces into what they would be in a plausible wrong world (a limit on a slightly wrong clock,
a power-law instead of an exponential tail through the same end points, fluctuations that shrink more slowly with
d, ...), keeping shapes and dtypes, so that a verdict can be asked whether it tells that world from ours.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def time_warped(times: Array, traces: Array, factor: float) -> Array:
    """Each trace (last axis on ``times``) evaluated at ``factor * t``: the same curve on a clock ``factor``
    times as fast (linear interpolation; held at its last value beyond the horizon)."""
    flat = np.asarray(traces, dtype=float).reshape(-1, times.size)
    out = np.stack([np.interp(factor * times, times, row) for row in flat])
    return out.reshape(np.shape(traces))


def fluctuations_scaled(traces: Array, centre: Array, factor: float) -> Array:
    """``centre + factor * (traces - centre)``: the deviations of runs from a reference curve scaled."""
    return centre + factor * (np.asarray(traces) - centre)


def tail_replaced(times: Array, traces: Array, start: float, exponent: float | None) -> Array:
    """Each positive trace after ``times >= start`` replaced by a tail through the same two end points
    (its values at the first late time and at the horizon): a power law t^-p (``exponent`` None) or a stretched
    exponential exp(-k (t/t_a)^exponent) (0 < exponent < 1). Before ``start`` the traces are unchanged."""
    out = np.array(traces, dtype=float, copy=True)
    flat = out.reshape(-1, times.size)
    late = np.flatnonzero(times >= start)
    ta, tb = times[late[0]], times[late[-1]]
    for row in flat:
        ya, yb = row[late[0]], row[late[-1]]
        drop = np.log(ya / yb)
        if exponent is None:
            row[late] = ya * (times[late] / ta) ** (-drop / np.log(tb / ta))
        else:
            k = drop / ((tb / ta) ** exponent - 1.0)
            row[late] = ya * np.exp(-k * ((times[late] / ta) ** exponent - 1.0))
    return out


def spread_scaled(samples: Array, labels: NDArray[np.int64], factor: float) -> Array:
    """Samples (last axis: coordinates with type ``labels``) spread ``factor`` times as wide about the mean of
    their type, per leading index (snapshot, run)."""
    x = np.array(samples, dtype=float, copy=True)
    flat = x.reshape(-1, labels.size)
    for k in np.unique(labels):
        cols = labels == k
        mean = np.mean(flat[:, cols], axis=1, keepdims=True)
        flat[:, cols] = mean + factor * (flat[:, cols] - mean)
    return x
