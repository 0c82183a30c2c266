"""Read the sweep's arrays into one table of runs (GD rows first, then SGD rows) and derive per-run quantities.

Every claim of the family reads this table, so that the definitions (converged, test error, gain, windows) are
shared. Quantities that need the data (exact prediction, sharpness) are computed here as well.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from dln.interpolation import InterpolatorError, interpolator
from dln.layout import View
from dln.status import Status
from dln.stepsizes.gain import path_problem
from dln.stepsizes.sharpness import sharpness

Array = NDArray[np.float64]
PARTS = ("gd", "sgd")  # the sweep's two training records, GD rows first
ROW_KEYS = (
    "kind",
    "batch_size",
    "data",
    "repeat",
    "fraction",
    "stepsize",
    "status",
    "steps",
    "u",
    "v",
    "increment_sum",
    "gain",
    "gain_plus",
)
# alpha_inf^2 = |u^2 - v^2| / 2 is read off the iterate only while it is above the round-off of u^2 + v^2
RESOLUTION = 1e4 * np.finfo(float).eps


def runs(r: View) -> dict[str, NDArray]:
    """All runs of the sweep as one table: the row metadata, final weights and derived test error / support."""
    t = {k: np.concatenate([r[p][k] for p in PARTS]) for k in ROW_KEYS}
    beta = t["u"] * t["v"]
    bstar = r.beta_star[t["data"]]
    t["beta"] = beta
    t["test"] = np.sum((beta - bstar) ** 2, axis=1)
    t["support"] = bstar != 0
    t["converged"] = t["status"] == Status.CONVERGED
    t["is_gd"] = t["batch_size"] >= r.X.shape[1]
    method = np.argmax(r.batch_sizes[None, :] == t["batch_size"][:, None], axis=1)
    t["gamma_max"] = r.gamma_max[method, t["data"]]
    return t


def resolvable(u: Array, v: Array) -> NDArray[np.bool_]:
    """Per run: every coordinate's |u^2 - v^2| is resolved in float64 (>= RESOLUTION (u^2 + v^2))."""
    a, b = u * u, v * v
    return np.asarray(np.all(np.abs(a - b) >= RESOLUTION * (a + b), axis=-1))


def exact_errors(r: View, t: Mapping[str, NDArray], rows: NDArray[np.int64]) -> tuple[Array, NDArray[np.bool_]]:
    """sup_i |beta_K - argmin_{X beta = y} D_{psi_alpha_inf}(beta, beta~0)| for the given runs (inf if unsolved),
    with alpha_inf and beta~0 from the gains tracked along the run (`dln.stepsizes.gain.path_problem`), not read
    off the final iterate: read off the iterate they would make any interpolator pass (an identity).

    Also returns which runs needed a second solve from the dual point of their iterate (`solve_near`)."""
    out = np.full(rows.size, np.inf)
    warm = np.zeros(rows.size, dtype=bool)
    alpha = float(r.alpha)
    for j, i in enumerate(rows):
        s = int(t["data"][i])
        a_inf, ref = path_problem(alpha, t["gain"][i], t["gain_plus"][i])
        a2 = np.asarray(a_inf, dtype=float) ** 2
        if not (np.all(np.isfinite(a2) & (a2 > 0)) and np.all(np.isfinite(ref))):
            continue  # no problem to solve: a gain so large that alpha_inf^2 under- or overflows (unsolved: inf)
        pred, warm[j] = solve_near(r.X[s], r.y[s], a_inf, ref, t["beta"][i])
        if pred is not None:
            out[j] = float(np.max(np.abs(pred - t["beta"][i])))
    return out, warm


def solve_near(X: Array, y: Array, alpha: Array, reference: Array, beta: Array) -> tuple[Array | None, bool]:
    """(argmin_{X b = y} D_{psi_alpha}(b, reference) or None if unsolved, whether it needed a second solve).

    The dual Newton solve from 0 stalls when some alpha_i^2 are astronomically small (gains of ~100 and more);
    it is then restarted from the dual point nearest ``beta`` (`dual_start`), which does not change the answer."""
    try:
        return interpolator(X, y, alpha, reference=reference), False
    except InterpolatorError:
        pass
    try:
        start = dual_start(X, alpha, reference, beta)
        return interpolator(X, y, alpha, reference=reference, start=start), True
    except InterpolatorError:
        return None, True


def dual_start(X: Array, alpha: Array, reference: Array, beta: Array) -> Array:
    """The dual point nu whose beta(nu) = alpha^2 sinh(asinh(reference / alpha^2) + 2 X^T nu) is closest to
    ``beta`` (least squares in the mirror coordinates): a start for `interpolator`, not a solution."""
    a2 = alpha * alpha
    z = np.arcsinh(beta / a2) - np.arcsinh(reference / a2)
    return np.asarray(np.linalg.lstsq(2.0 * X.T, z, rcond=None)[0])


def final_sharpness(r: View, t: Mapping[str, NDArray], rows: NDArray[np.int64]) -> Array:
    """gamma * S(w_K) of the given runs."""
    return np.array([t["stepsize"][i] * float(sharpness(r.X[t["data"][i]], t["u"][i], t["v"][i])) for i in rows])


def part_updates(r: View, columns: Mapping[str, NDArray]) -> dict[str, NDArray]:
    """File key -> array that write table columns (GD rows first, as in `runs`) back into the gd and sgd records
    (what a null model returns for the sweep)."""
    n_gd = int(r.gd.status.size)
    out: dict[str, NDArray] = {}
    for name, col in columns.items():
        out[r.gd.key(name)] = np.asarray(col[:n_gd])
        out[r.sgd.key(name)] = np.asarray(col[n_gd:])
    return out
