"""Streaming (one-pass) SGD for the DLN in convention C1, many independent runs at once.

Every step draws a fresh batch x = K^{1/2} z / sqrt(d) per run and updates u, v simultaneously:
r = <x, u v> - y, g = gamma r x / B, u <- u - g v, v <- v - g u. Drawing the d Gaussians of a step is the
unavoidable cost; the update is one compiled pass over the run's arrays (`sgd_steps`), run by run, with the
Gaussians of a few steps drawn into a buffer that stays in cache. Each run has its own Generator (its run
identity); the stream does not depend on the block size. `reference_sgd` is the plain per-step loop the
tests check the fast path against.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numba import njit
from numpy.typing import NDArray

from dln.highdim import observables as obs
from dln.highdim.model import Problem, TypeLaw, reduced_coordinates
from dln.highdim.recording import Recorder, step_indices
from dln.status import Status

Array = NDArray[np.float64]

DIVERGENCE_RISK = 1e6  # a run whose risk exceeds this is declared diverged (Status.DIVERGED) and frozen at NaN
BUFFER_NORMALS = 1 << 16  # Gaussians drawn per call (512 KB: the buffer stays in the core's cache)


def sgd_update(u: Array, v: Array, g: Array) -> tuple[Array, Array]:
    """Simultaneous step with the stepsize-scaled gradient g = gamma r x; it maps u^2 - v^2 to
    (1 - g^2)(u^2 - v^2) exactly (the discrete Delta law)."""
    return u - g * v, v - g * u


@njit(cache=True, error_model="numpy", nogil=True, fastmath={"reassoc"})
def sgd_steps(
    z: np.ndarray,
    noise: np.ndarray,
    xscale: np.ndarray,
    lam: np.ndarray,
    bstar: np.ndarray,
    step: float,
    sigma2: float,
    u: np.ndarray,
    v: np.ndarray,
    e: np.ndarray,
) -> float:
    """Advance one run by ``z.shape[0]`` steps in place; returns the steps' sum of R(beta_k) / d.

    z: (steps, B, d) standard normals (x = xscale * z); noise: (steps, B) label noise sigma xi;
    step = gamma / B; u, v: weights; e = u v - beta* (kept in sync). Reassociation is allowed so that the two
    dot products per step vectorise; results are deterministic on a given machine.
    """
    n_steps, B, d = z.shape
    r = np.empty(B)
    total = 0.0
    for k in range(n_steps):
        risk = 0.0
        acc = 0.0
        z0 = z[k, 0]
        for i in range(d):  # the risk and the first sample's residual in one pass
            ei = e[i]
            risk += lam[i] * ei * ei
            acc += z0[i] * xscale[i] * ei
        total += (0.5 * risk / d + 0.5 * sigma2) / d
        r[0] = step * (acc - noise[k, 0])
        for b in range(1, B):
            zb = z[k, b]
            acc = 0.0
            for i in range(d):
                acc += zb[i] * xscale[i] * e[i]
            r[b] = step * (acc - noise[k, b])
        r0 = r[0]
        for i in range(d):
            gi = r0 * z0[i]
            for b in range(1, B):
                gi += r[b] * z[k, b, i]
            gi *= xscale[i]
            ui = u[i]
            vi = v[i]
            un = ui - gi * vi
            vn = vi - gi * ui
            u[i] = un
            v[i] = vn
            e[i] = un * vn - bstar[i]
    return total


def reference_sgd(problem: Problem, rng: np.random.Generator, n_steps: int) -> tuple[Array, Array, list[Array]]:
    """The oracle: one run, one numpy step at a time, from the same stream as `run_sgd` (label noise of all
    steps first, then the batches). Returns the final u, v and every step's scaled gradient g."""
    p, d, B = problem, problem.d, problem.batch
    noise = rng.standard_normal((n_steps, B)) * p.sigma
    xscale = np.sqrt(p.lam / d)
    u, v, gs = p.u0.copy(), p.v0.copy(), []
    for k in range(n_steps):
        x = rng.standard_normal((B, d)) * xscale
        r = x @ (u * v - p.bstar) - noise[k]
        g = p.gamma * (r @ x) / B
        gs.append(g)
        u, v = sgd_update(u, v, g)
    return u, v, gs


def run_sgd(
    problem: Problem,
    types: TypeLaw,
    rngs: Sequence[np.random.Generator],
    times: Array,
    snapshot_times: Array | None = None,
    block: int | None = None,
) -> dict[str, np.ndarray]:
    """SGD runs (one per Generator) from (u0, v0) to times[-1]; observables recorded at ``times``.

    ``block`` is the number of steps whose Gaussians are drawn per call (default: as many as fit
    BUFFER_NORMALS); it never changes the results.

    Returns traces ``sgd/<observable>`` (runs, n_records), ``sgd/log_delta_ratio`` (runs, n_records, n_types)
    (per type mean over its coordinates of log Delta_i(t)/Delta_i(0)), ``sgd/int_risk`` (int_0^t R, sum of
    R_k / d), ``sgd/zeta_snapshots`` (n_snap, runs, d), final ``sgd/u``, ``sgd/v`` and ``sgd/status``
    (`dln.status.Status`: CONVERGED for a run that reached the horizon, DIVERGED for one frozen at NaN).
    """
    p, d, runs, B = problem, problem.d, len(rngs), problem.batch
    rec_steps = step_indices(times, 1.0 / d)
    snap_steps = step_indices(snapshot_times, 1.0 / d) if snapshot_times is not None else np.zeros(0, np.int64)
    n_steps = int(max(rec_steps.max(), snap_steps.max(initial=0)))
    block = block or max(1, BUFFER_NORMALS // (B * d))
    xscale = np.sqrt(p.lam / d)
    noise = np.stack([rng.standard_normal((n_steps, B)) for rng in rngs]) * p.sigma  # (runs, steps, B)
    u = np.tile(p.u0, (runs, 1))
    v = np.tile(p.v0, (runs, 1))
    log_delta0 = np.log(np.abs(p.u0**2 - p.v0**2))
    e = u * v - p.bstar
    int_risk = np.zeros(runs)
    status = np.full(runs, Status.CONVERGED, dtype=np.int64)
    rec = Recorder(len(times), types.n_types, (runs,))
    buf = np.empty((block, B, d))

    k = 0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # a run that underflows Delta or diverges
        for event in np.union1d(rec_steps, snap_steps):
            for i, rng in enumerate(rngs):  # runs are independent: each goes from step k to the event alone
                for k0 in range(k, event, block):
                    z = buf[: min(block, event - k0)]
                    rng.standard_normal(out=z)
                    noise_i = noise[i, k0 : k0 + z.shape[0]]
                    int_risk[i] += sgd_steps(
                        z, noise_i, xscale, p.lam, p.bstar, p.gamma / B, p.sigma**2, u[i], v[i], e[i]
                    )
            k = event
            risk = 0.5 * np.mean(p.lam * e * e, axis=1) + 0.5 * p.sigma**2
            bad = ~np.isfinite(risk) | (risk > DIVERGENCE_RISK)
            status[bad] = Status.DIVERGED
            u[bad], v[bad], e[bad] = np.nan, np.nan, np.nan
            if event in rec_steps:
                ratio = obs.type_means(np.log(np.abs(u * u - v * v)) - log_delta0, types.label, types.n_types)
                rec.record(obs.from_uv(u, v, p.lam, p.bstar), p.sigma, ratio, int_risk)
            if event in snap_steps:
                rec.snapshots.append(reduced_coordinates(u, v)[1])
    out: dict[str, np.ndarray] = dict(rec.arrays("sgd"))
    out |= {"sgd/u": u, "sgd/v": v, "sgd/status": status}
    return out
