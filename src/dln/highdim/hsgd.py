"""Homogenized SGD (HSGD) for the DLN, Euler-Maruyama with step h, in raw (u, v) or reduced (Delta, zeta)
coordinates, many runs at once.

Per coordinate (C1, K = diag lam, batch B), with one Brownian motion B_i driving u_i and v_i:
  du = -gamma lam v e dt + gamma sqrt(2 lam R / B) v dB,   dv = -gamma lam u e dt + gamma sqrt(2 lam R / B) u dB.
In reduced coordinates Delta = u^2 - v^2 is deterministic given R, Delta(t) = Delta(0) exp(-2 gamma^2 lam I / B)
with I = int_0^t R, and zeta = arcsinh(2 u v / |Delta|) has additive noise:
  dzeta = -2 gamma lam e dt + 2 gamma sqrt(2 lam R / B) dB,  e = |Delta|/2 sinh zeta - beta*.
`reduced_em` is also the engine of the particle solver of the limit (one "run" of weighted particles).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray

from dln.highdim import observables as obs
from dln.highdim.model import Problem, TypeLaw
from dln.highdim.recording import Recorder, step_indices

Array = NDArray[np.float64]
Draw = Callable[[Array], None]  # fills a (block, runs, n) array with standard normals


def _block_size(per_step: int, budget: int = 2**22) -> int:
    """Steps of noise drawn at once: at most 256 and about ``budget`` numbers (32 MB) in all. The streams do
    not depend on it."""
    return max(1, min(256, budget // max(per_step, 1)))


def _block_draw(rngs: Sequence[np.random.Generator]) -> Draw:
    """Each run's Generator fills its own slice of the block."""

    def draw(out: Array) -> None:
        for i, rng in enumerate(rngs):
            out[:, i] = rng.standard_normal(out.shape[:1] + out.shape[2:])

    return draw


def reduced_em(
    w: Array,
    lam: Array,
    bstar: Array,
    delta0: Array,
    zeta0: Array,
    label: NDArray[np.int64],
    n_types: int,
    gamma: float,
    sigma: float,
    batch: int,
    h: float,
    times: Array,
    draw: Draw,
    runs: int,
    snapshot_times: Array | None = None,
    block: int = 0,
) -> Recorder:
    """Euler-Maruyama in (Delta, zeta) for ``runs`` independent systems of n weighted coordinates.

    R is recomputed from the weighted state every step (the McKean-Vlasov coupling); Delta is exact given R.
    """
    n = lam.size
    rec_steps = step_indices(times, h)
    snap_steps = step_indices(snapshot_times, h) if snapshot_times is not None else np.zeros(0, np.int64)
    n_steps = int(max(rec_steps.max(), snap_steps.max(initial=0)))
    is_rec = np.zeros(n_steps + 1, bool)
    is_rec[rec_steps] = True
    is_snap = np.zeros(n_steps + 1, bool)
    is_snap[snap_steps] = True
    zeta = np.tile(zeta0, (runs, 1))
    half_abs_delta0 = 0.5 * np.abs(delta0)
    int_risk = np.zeros(runs)
    neg_decay = -(2.0 * gamma**2 * lam / batch)
    noise_scale = 2.0 * gamma * np.sqrt(2.0 * lam * h / batch)
    drift, risk_weight = 2.0 * gamma * lam, w * lam
    rec = Recorder(len(times), n_types, (runs,))
    block = block or _block_size(runs * n)
    buf = np.empty((block, runs, n))
    # Work arrays, reused every step: allocating (runs, n) temporaries per operation cost more than the
    # arithmetic (fresh pages each time). Same operations in the same order as the plain expressions
    # e = 0.5 |Delta| sinh(zeta) - beta*, R = 0.5 sum(w lam e e) + sigma^2/2,
    # zeta <- zeta - 2 gamma lam e h + noise_scale sqrt(R) xi (0.5 x is exact, so the bits are unchanged).
    half_abs_delta, e, tmp = np.empty_like(zeta), np.empty_like(zeta), np.empty_like(zeta)
    risk = np.empty(runs)
    for k in range(n_steps + 1):
        np.multiply(neg_decay, int_risk[:, None], out=half_abs_delta)
        np.exp(half_abs_delta, out=half_abs_delta)
        half_abs_delta *= half_abs_delta0
        np.sinh(zeta, out=e)
        e *= half_abs_delta
        e -= bstar
        np.multiply(risk_weight, e, out=tmp)
        tmp *= e
        np.sum(tmp, axis=-1, out=risk)
        risk *= 0.5
        risk += 0.5 * sigma**2
        if is_rec[k]:
            st = obs.from_reduced(2.0 * half_abs_delta * np.sign(delta0), zeta, w, lam, bstar)
            log_ratio = obs.type_means(neg_decay * int_risk[:, None], label, n_types)
            rec.record(st, sigma, log_ratio, int_risk)
        if is_snap[k]:
            rec.snapshots.append(zeta.copy())
        if k == n_steps:
            break
        j = k % block
        if j == 0:
            draw(buf[: min(block, n_steps - k)])
        np.multiply(drift, e, out=tmp)
        tmp *= h
        zeta -= tmp
        np.multiply(noise_scale, np.sqrt(risk)[:, None], out=tmp)
        tmp *= buf[j]
        zeta += tmp
        int_risk = int_risk + risk * h
    return rec


def run_hsgd_reduced(
    problem: Problem, types: TypeLaw, rngs: Sequence[np.random.Generator], times: Array, h: float
) -> dict[str, Array]:
    """HSGD in (Delta, zeta), one run per Generator; traces under ``hsgd/``."""
    p = problem
    delta0 = p.u0**2 - p.v0**2
    if np.any(delta0 == 0):
        raise ValueError("reduced coordinates need Delta_i(0) != 0 (unbalanced initialisation)")
    zeta0 = np.arcsinh(2.0 * p.u0 * p.v0 / np.abs(delta0))
    w = np.full(p.d, 1.0 / p.d)
    rec = reduced_em(
        w, p.lam, p.bstar, delta0, zeta0, types.label, types.n_types, p.gamma, p.sigma, p.batch, h, times,
        _block_draw(rngs), len(rngs),
    )  # fmt: skip
    return rec.arrays("hsgd")


def run_hsgd_raw(
    problem: Problem, types: TypeLaw, rngs: Sequence[np.random.Generator], times: Array, h: float, block: int = 0
) -> dict[str, Array]:
    """HSGD in raw (u, v), Euler-Maruyama with simultaneous updates; traces under ``hsgd_raw/``."""
    p, runs = problem, len(rngs)
    rec_steps = step_indices(times, h)
    n_steps = int(rec_steps.max())
    is_rec = np.zeros(n_steps + 1, bool)
    is_rec[rec_steps] = True
    u, v = np.tile(p.u0, (runs, 1)), np.tile(p.v0, (runs, 1))
    log_delta0 = np.log(np.abs(p.u0**2 - p.v0**2))
    int_risk = np.zeros(runs)
    noise_scale = p.gamma * np.sqrt(2.0 * p.lam * h / p.batch)
    rec = Recorder(len(times), types.n_types, (runs,))
    block = block or _block_size(runs * p.d)
    buf = np.empty((block, runs, p.d))
    draw = _block_draw(rngs)
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(n_steps + 1):
            e = u * v - p.bstar
            risk = 0.5 * np.mean(p.lam * e * e, axis=-1) + 0.5 * p.sigma**2
            if is_rec[k]:
                ratio = obs.type_means(np.log(np.abs(u * u - v * v)) - log_delta0, types.label, types.n_types)
                rec.record(obs.from_uv(u, v, p.lam, p.bstar), p.sigma, ratio, int_risk)
            if k == n_steps:
                break
            j = k % block
            if j == 0:
                draw(buf[: min(block, n_steps - k)])
            kick = noise_scale * np.sqrt(risk)[:, None] * buf[j] - p.gamma * p.lam * e * h
            u, v = u + kick * v, v + kick * u
            int_risk = int_risk + risk * h
    return rec.arrays("hsgd_raw")
