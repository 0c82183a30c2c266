"""The plain per-step oracle of `dln.multitask.training.train_gd`: one configuration, raw data, numpy.

This is how such a run is usually written: residuals r_t = X_t beta_t - y_t on each task's own samples, one
Python-level step at a time, no Gram matrices, no batching over configurations, no stopping. The tests hold
the batched, compiled `train_gd` to it (same iterates to 1e-12), and benchmark 4 times it as the baseline
"training the configurations one by one". Loss: mean squared error over all samples of all tasks (no 1/2).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def reference_mtl_gd(
    data: list[tuple[Array, Array]],
    w_pos: Array,
    w_neg: Array,
    v_pos: Array,
    v_neg: Array,
    lr: float,
    steps: int,
    train_first_layer: bool = True,
) -> tuple[Array, Array, Array, Array]:
    """``steps`` GD steps of one network: data[t] = (X_t, y_t); w (D,), v (T, D). Returns the final weights."""
    w_pos, w_neg, v_pos, v_neg = w_pos.copy(), w_neg.copy(), v_pos.copy(), v_neg.copy()
    total = sum(X.shape[0] for X, _ in data)
    for _ in range(steps):
        grads = []
        for t, (X, y) in enumerate(data):
            beta = w_pos * v_pos[t] - w_neg * v_neg[t]
            grads.append(2.0 * lr / total * (X.T @ (X @ beta - y)))
        dw_pos = sum(g * v_pos[t] for t, g in enumerate(grads))
        dw_neg = sum(g * v_neg[t] for t, g in enumerate(grads))
        for t, g in enumerate(grads):
            v_pos[t] = v_pos[t] - g * w_pos
            v_neg[t] = v_neg[t] + g * w_neg
        if train_first_layer:
            w_pos = w_pos - dw_pos
            w_neg = w_neg + dw_neg
    return w_pos, w_neg, v_pos, v_neg
