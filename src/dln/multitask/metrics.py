"""Generalisation metrics of the paper: population loss and mean +- 2 SEM over seeds."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]


def population_loss(beta: ArrayLike, beta_star: ArrayLike) -> Array:
    """||beta - beta*||^2 over the last axis (exact population MSE for E[x x^T] = I)."""
    d = np.asarray(beta, dtype=float) - np.asarray(beta_star, dtype=float)
    return np.asarray(np.sum(d * d, axis=-1))


def mean_sem(values: ArrayLike, axis: int = 0) -> tuple[Array, Array, Array]:
    """(mean, mean - 2 SEM, mean + 2 SEM) over ``axis`` (seeds), as in the paper's figures."""
    v = np.asarray(values, dtype=float)
    m = v.mean(axis=axis)
    s = v.std(axis=axis, ddof=1) / np.sqrt(v.shape[axis]) if v.shape[axis] > 1 else np.zeros_like(m)
    return m, m - 2.0 * s, m + 2.0 * s
