"""The largest convergent stepsize of a method on an instance: a coarse grid, then bisection.

A stepsize counts as convergent when the run started from the usual initialisation reaches a train loss
<= ``converged_loss`` within a fixed *time* horizon T = gamma * steps (so small stepsizes get more steps).
The search is generic over a ``probe`` (candidate stepsizes -> converged or not) so that it can be tested on
problems with a known threshold; `dln_probe` builds the probe that trains diagonal networks with
`dln.training.train`, all problems and candidates of a round in one batched call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from dln.runs import balanced_init
from dln.seeds import run_rng
from dln.training import CONVERGED, Stopping, train

Array = NDArray[np.float64]
# (k, m) candidate stepsizes of problems ``rows`` (k,), round -> (k, m) converged
Probe = Callable[[Array, NDArray[np.int64], int], NDArray[np.bool_]]


def convergence_rule(horizon: float, converged_loss: float, stop_loss: float) -> str:
    """The rule a gamma_max is defined by, stated in words for the output files."""
    return (
        f"gamma converges iff the train loss L = ||X beta - y||^2/(2n) is <= {converged_loss:g} after "
        f"ceil({horizon:g} / gamma) steps (runs stop early once L <= {stop_loss:g}); gamma_max = the point below "
        "the first non-convergent point of a geometric grid, refined by rounds of geometric bisection (first "
        "failure among equally spaced points in log scale) of the bracket it forms with that point"
    )


@dataclass(frozen=True)
class GammaMax:
    """Result of the search per problem: gamma_max (a convergent stepsize) and the non-convergent one above it."""

    gamma_max: Array  # (P,) NaN where no grid point converged
    upper: Array  # (P,) smallest non-convergent stepsize above gamma_max (inf when the grid top converged)
    capped: NDArray[np.bool_]  # (P,) the whole grid converged: gamma_max is a lower bound only


def _first_failure(conv: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Index of the first non-convergent candidate of each row (the row length when all converge)."""
    return np.where(conv.all(axis=1), conv.shape[1], np.argmin(conv, axis=1))


def coarse_then_bisect(probe: Probe, grid: Array, rounds: int, points: int = 1) -> GammaMax:
    """Last point of ``grid`` (P, m, increasing along axis 1) before the first non-convergent one, then ``rounds``
    refinements of the bracket it forms with that point.

    Round 0 probes the whole grid. Each later round probes ``points`` geometrically spaced stepsizes inside every
    open bracket (``points = 1``: plain geometric bisection) and keeps the bracket around the first failure, so an
    isolated convergent stepsize above a non-convergent one (the chaotic band just below divergence) is never
    taken for gamma_max. Each round shrinks the bracket (in log scale) by a factor ``points + 1``.
    """
    grid = np.asarray(grid, dtype=float)
    P, m = grid.shape
    conv = np.asarray(probe(grid, np.arange(P), 0), dtype=bool)
    first = _first_failure(conv)
    any_conv = first > 0
    lo = np.where(any_conv, grid[np.arange(P), np.maximum(first - 1, 0)], np.nan)
    capped = first == m
    hi = np.where(capped | ~any_conv, np.inf, grid[np.arange(P), np.minimum(first, m - 1)])
    open_ = any_conv & ~capped
    for r in range(1, rounds + 1):
        rows = np.flatnonzero(open_)
        if rows.size == 0:
            break
        t = np.arange(1, points + 1) / (points + 1)
        cands = lo[rows, None] * (hi[rows, None] / lo[rows, None]) ** t[None, :]
        j = _first_failure(np.asarray(probe(cands, rows, r), dtype=bool))
        k = np.arange(rows.size)
        lo[rows] = np.where(j > 0, cands[k, np.maximum(j - 1, 0)], lo[rows])
        hi[rows] = np.where(j < points, cands[k, np.minimum(j, points - 1)], hi[rows])
    return GammaMax(gamma_max=lo, upper=hi, capped=capped)


def dln_probe(
    X: Array,
    y: Array,
    beta_star: Array,
    alpha: float,
    batch_size: NDArray[np.int64],
    horizon: Array,
    stopping: Stopping,
    seed: int,
    uid: int,
    labels: Sequence[dict],
) -> Probe:
    """Probe over P (problem, method) pairs: pair p trains on data set ``p % S`` with batch ``batch_size[p]``
    (>= n is GD) on the time horizon ``horizon[p]``; SGD streams come from (uid, label + round + candidate)."""
    S, n, d = X.shape

    def probe(cands: Array, rows: NDArray[np.int64], rnd: int) -> NDArray[np.bool_]:
        P, m = cands.shape
        pair = np.repeat(np.asarray(rows), m)
        gam = cands.ravel()
        conv = np.zeros(gam.size, dtype=bool)
        full = batch_size[pair] >= n
        for method, sel in (("gd", full), ("sgd", ~full)):  # GD rows run exactly as in the sweep
            idx = np.flatnonzero(sel)
            if idx.size == 0:
                continue
            p, g = pair[idx], gam[idx]
            rngs = None
            if method == "sgd":
                points = [
                    dict(labels[q], phase="gamma_max", round=rnd, candidate=int(i % m))
                    for q, i in zip(p, idx, strict=True)
                ]
                rngs = [run_rng(seed, uid, pt, int(q % S)) for pt, q in zip(points, p, strict=True)]
            u0, v0 = balanced_init(alpha, (idx.size, d))
            res = train(
                method,  # type: ignore[arg-type]
                X,
                y,
                beta_star,
                p % S,
                g,
                u0,
                v0,
                n_steps=np.ceil(horizon[p] / g).astype(np.int64),
                rngs=rngs,
                batch_size=batch_size[p],
                n_records=3,
                stopping=stopping,
                progress=False,
            )
            conv[idx] = res.status == CONVERGED
        return conv.reshape(P, m)

    return probe
