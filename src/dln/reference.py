"""Plain one-run, one-step reference implementation: the oracle the batched code must match.

Deliberately naive: a Python loop over steps for a single run, written straight from the update rules, and
using the same random-stream contract as `dln.training`. Used by the tests (agreement to 1e-12) and by the
benchmarks (as the baseline that experiments are usually coded as).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def reference_run(
    method: str,
    X: Array,
    y: Array,
    stepsize: float,
    u0: Array,
    v0: Array,
    n_steps: int,
    rng: np.random.Generator | None = None,
    batch_size: int | None = None,
    substep: float | None = None,
) -> tuple[Array, Array]:
    """Run ``n_steps`` of GD / SGD / SGF-EM from (u0, v0) and return the final (u, v)."""
    n = X.shape[0]
    u, v = np.array(u0, dtype=float), np.array(v0, dtype=float)
    b = n if batch_size is None else int(batch_size)
    for _ in range(n_steps):
        beta = u * v
        if method == "gd" or (method == "sgd" and b >= n):
            eps = stepsize * X.T @ (X @ beta - y) / n
        elif method == "sgd":
            assert rng is not None
            if b == 1:
                idx = np.array([int(np.floor(rng.random() * n))])
            else:
                idx = np.argsort(rng.random(n), kind="stable")[:b]
            xb = X[idx]
            eps = stepsize * xb.T @ (xb @ beta - y[idx]) / b
        elif method == "sgf":
            assert rng is not None and substep is not None
            r = X @ beta - y
            loss = 0.5 * np.mean(r**2)
            z = rng.standard_normal(n)
            eps = substep * X.T @ r / n + np.sqrt(2 * stepsize * loss * substep / n) * (X.T @ z)
        else:
            raise ValueError(f"unknown method {method!r}")
        u, v = u - eps * v, v - eps * u
    return u, v
