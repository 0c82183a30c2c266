"""Building blocks of the family's null models: the sweep's runs given another solution, test error or gain.

A null model (`dln.contract.Null`) rewrites some of the sweep's arrays so that one claimed effect is absent; the
pieces here work on the table of `dln.stepsizes.tables.runs` (GD rows first) and return whole columns, which
`dln.stepsizes.tables.part_updates` writes back under the file's keys. Every rewritten run keeps its balance
u^2 - v^2 (hence its alpha_inf read off the iterate) unless a null says otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from dln.stepsizes.gain import weights_with

Table = Mapping[str, NDArray]
Array = NDArray[np.float64]


def _key(t: Table, i: int, match: Sequence[str], fraction: float | None) -> tuple:
    f = round(float(t["fraction"][i] if fraction is None else fraction), 9)
    return (*(int(t[k][i]) for k in match), f)


def partners(
    t: Table,
    rows: NDArray[np.int64],
    pool: NDArray[np.bool_],
    match: Sequence[str] = ("data", "repeat"),
    fraction: float | Array | None = None,
) -> NDArray[np.int64]:
    """For each row, the first run of ``pool`` with the same ``match`` columns and the same fraction (its own, or
    ``fraction`` (scalar or one per row) if given); -1 where there is none."""
    index: dict[tuple, int] = {}
    for j in np.flatnonzero(pool):
        index.setdefault(_key(t, int(j), match, None), int(j))
    fr = np.broadcast_to(np.asarray(np.nan if fraction is None else fraction, dtype=float), rows.shape)
    keys = [_key(t, int(i), match, None if np.isnan(f) else float(f)) for i, f in zip(rows, fr, strict=True)]
    return np.array([index.get(k, -1) for k in keys], dtype=np.int64)


def with_beta(t: Table, rows: NDArray[np.int64], beta: Array) -> dict[str, Array]:
    """Columns u, v in which ``rows`` end on ``beta`` (one row each) with their own balance u^2 - v^2."""
    u, v = t["u"].copy(), t["v"].copy()
    if rows.size:
        balance = u[rows] ** 2 - v[rows] ** 2
        u[rows], v[rows] = weights_with(beta, balance)
    return {"u": u, "v": v}


def with_test_error(t: Table, rows: NDArray[np.int64], target: Array, beta_star: Array) -> dict[str, Array]:
    """Columns u, v in which ``rows`` have test error ||beta - beta*||^2 = ``target``: the error vector of each
    run rescaled (its direction kept), balance kept. Runs with no error to rescale are left alone."""
    beta = t["beta"][rows]
    diff = beta - beta_star
    test = np.sum(diff * diff, axis=1)
    ok = (test > 0) & np.isfinite(target)
    scale = np.sqrt(np.where(ok, target, 0.0) / np.where(ok, test, 1.0))
    new = np.where(ok[:, None], beta_star + scale[:, None] * diff, beta)
    return with_beta(t, rows, new)


def copied(
    t: Table, name: str, rows: NDArray[np.int64], sources: NDArray[np.int64], scale: Array | float = 1.0
) -> NDArray:
    """Column ``name`` in which each of ``rows`` takes the value of its source row (times ``scale``); rows without
    a source (-1) are left alone."""
    col = t[name].copy()
    ok = sources >= 0
    s = np.broadcast_to(np.asarray(scale, dtype=float), rows.shape)
    col[rows[ok]] = t[name][sources[ok]] * (s[ok][:, None] if col.ndim > 1 else s[ok])
    return col
