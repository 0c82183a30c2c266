"""Streaming (one-pass) SGD for the DLN in convention C1, many independent runs at once.

Every step draws a fresh batch x = K^{1/2} z / sqrt(d) per run and updates u, v simultaneously:
r = <x, u v> - y, g = r x, u <- u - gamma g v, v <- v - gamma g u. The work per step is a handful of
elementwise passes over the (runs, d) array, so the cost is of the order of drawing the Gaussians.
Each run has its own Generator (its run identity); Gaussians are drawn in blocks of steps to keep the
per-call overhead small (the stream does not depend on the block size).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from dln.highdim import observables as obs
from dln.highdim.model import Problem, TypeLaw, reduced_coordinates
from dln.highdim.recording import Recorder, step_indices

Array = NDArray[np.float64]

CONVERGED, DIVERGED = 0, 1
DIVERGENCE_RISK = 1e6  # a run whose risk exceeds this is declared diverged and frozen at NaN


def sgd_update(u: Array, v: Array, g: Array) -> tuple[Array, Array]:
    """Simultaneous step with the stepsize-scaled gradient g = gamma r x; it maps u^2 - v^2 to
    (1 - g^2)(u^2 - v^2) exactly (the discrete Delta law)."""
    return u - g * v, v - g * u


def run_sgd(
    problem: Problem,
    types: TypeLaw,
    rngs: Sequence[np.random.Generator],
    times: Array,
    snapshot_times: Array | None = None,
    block: int = 64,
) -> dict[str, Array]:
    """SGD runs (one per Generator) from (u0, v0) to times[-1]; observables recorded at ``times``.

    Returns traces ``sgd/<observable>`` (runs, n_records), ``sgd/log_delta_ratio`` (runs, n_records, n_types)
    (per type mean over its coordinates of log Delta_i(t)/Delta_i(0)), ``sgd/int_risk`` (int_0^t R, sum of
    R_k / d), ``sgd/zeta_snapshots`` (n_snap, runs, d), final ``sgd/u``, ``sgd/v`` and ``sgd/status``.
    """
    p, d, runs, B = problem, problem.d, len(rngs), problem.batch
    rec_steps = step_indices(times, 1.0 / d)
    snap_steps = step_indices(snapshot_times, 1.0 / d) if snapshot_times is not None else np.zeros(0, np.int64)
    n_steps = int(max(rec_steps.max(), snap_steps.max(initial=0)))
    scale = np.sqrt(p.lam / d)
    noise = np.stack([rng.standard_normal((n_steps, B)) for rng in rngs]) * p.sigma  # (runs, steps, B)
    u = np.tile(p.u0, (runs, 1))
    v = np.tile(p.v0, (runs, 1))
    log_delta0 = np.log(np.abs(p.u0**2 - p.v0**2))
    e = u * v - p.bstar
    int_risk = np.zeros(runs)
    status = np.full(runs, CONVERGED)
    rec = Recorder(len(times), types.n_types, (runs,))
    buf = np.empty((runs, block, B, d))

    is_rec = np.zeros(n_steps + 1, bool)
    is_rec[rec_steps] = True
    is_snap = np.zeros(n_steps + 1, bool)
    is_snap[snap_steps] = True

    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # a run that underflows Delta or diverges
        for k in range(n_steps + 1):
            if is_rec[k] or is_snap[k]:
                risk = 0.5 * np.mean(p.lam * e * e, axis=1) + 0.5 * p.sigma**2
                bad = ~np.isfinite(risk) | (risk > DIVERGENCE_RISK)
                status[bad] = DIVERGED
                u[bad], v[bad], e[bad] = np.nan, np.nan, np.nan
                if is_rec[k]:
                    ratio = obs.type_means(np.log(np.abs(u * u - v * v)) - log_delta0, types.label, types.n_types)
                    rec.record(obs.from_uv(u, v, p.lam, p.bstar), p.sigma, ratio, int_risk)
                if is_snap[k]:
                    rec.snapshots.append(reduced_coordinates(u, v)[1])
            if k == n_steps:
                break
            j = k % block
            if j == 0:
                for i, rng in enumerate(rngs):
                    rng.standard_normal(out=buf[i, : min(block, n_steps - k)])
            x = buf[:, j] * scale  # (runs, B, d)
            r = np.einsum("rbd,rd->rb", x, e) - noise[:, k]
            g = np.einsum("rb,rbd->rd", r, x) * (p.gamma / B)
            int_risk += (0.5 * np.einsum("rd,rd,d->r", e, e, p.lam) / d + 0.5 * p.sigma**2) / d
            u, v = sgd_update(u, v, g)
            e = u * v - p.bstar
    out = rec.arrays("sgd")
    out |= {"sgd/u": u, "sgd/v": v, "sgd/status": status}
    return out
