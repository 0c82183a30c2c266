"""Deterministic limit, solver (b): finite-volume Fokker-Planck equation in zeta, one density per type.

  d_t q = d_zeta[ 2 gamma lam (|Delta|/2 sinh zeta - beta*) q ] + (4 gamma^2 lam R / B) d_zeta^2 q,
  Delta(t) = Delta(0) exp(-2 gamma^2 lam int R / B),  R = sigma^2/2 + 1/2 sum_types w lam int e^2 q dzeta.
Scharfetter-Gummel (exponentially fitted) fluxes, which stay accurate when drift dominates diffusion (plain
upwind is far too diffusive here), BDF2 in time (second order) with R and Delta extrapolated to the new level, zero-flux
boundaries; all types are stacked into one tridiagonal system (`scipy.linalg.solve_banded`). The initial
delta mass is a narrow Gaussian. Mass is conserved to rounding.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.linalg import solve_banded

from dln.highdim import observables as obs
from dln.highdim.model import TypeLaw
from dln.highdim.recording import Recorder, step_indices

Array = NDArray[np.float64]

EDGE_CELLS = 20  # cells at each end of the grid watched for escaping mass
EDGE_MASS_MAX = 1e-4  # more weighted mass than this there means the grid is too short: fail loudly


@dataclass(frozen=True)
class Grid:
    """Cell-centred grid on [lo, hi] with spacing dz."""

    lo: float
    hi: float
    dz: float

    @property
    def centres(self) -> Array:
        m = int(round((self.hi - self.lo) / self.dz))
        return np.asarray(self.lo + (np.arange(m) + 0.5) * self.dz, dtype=np.float64)


def bernoulli(x: Array) -> Array:
    """B(x) = x / (exp(x) - 1), B(0) = 1, stable for large |x| (B(+inf) = 0, B(-inf) = +inf)."""
    small = np.abs(x) < 1e-8
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        out = x / np.expm1(np.where(small, 1.0, x))
    return np.where(small, 1.0 - 0.5 * x, out)


def sg_coefficients(drift: Array, diffusion: Array, dz: float) -> tuple[Array, Array]:
    """Scharfetter-Gummel flux F_{j+1/2} = A q_j - C q_{j+1} for drift a (at interfaces) and diffusion D:
    A = (D/dz) B(-P), C = (D/dz) B(P), P = a dz / D. As D -> 0 this tends to upwinding."""
    D = np.maximum(diffusion, 1e-300)
    P = drift * dz / D
    with np.errstate(over="ignore", invalid="ignore"):
        A = np.where(P > 700, drift, (D / dz) * bernoulli(-P))
        C = np.where(P < -700, -drift, (D / dz) * bernoulli(P))
    A = np.where(P < -700, 0.0, A)
    C = np.where(P > 700, 0.0, C)
    return A, C


def implicit_step(q: Array, A: Array, C: Array, dt: float, dz: float) -> Array:
    """One implicit Euler step of the stacked systems q (types, m) with interface coefficients (types, m-1)."""
    nt, m = q.shape
    r = dt / dz
    Ap = np.concatenate([A, np.zeros((nt, 1))], axis=1)  # A_j, zero at the right wall
    Cm = np.concatenate([np.zeros((nt, 1)), C], axis=1)  # C_{j-1}, zero at the left wall
    diag = 1.0 + r * (Ap + Cm)
    upper = np.concatenate([-r * C, np.zeros((nt, 1))], axis=1)  # coefficient of q_{j+1} in row j
    lower = np.concatenate([np.zeros((nt, 1)), -r * A], axis=1)  # coefficient of q_{j-1} in row j
    ab = np.zeros((3, nt * m))
    ab[0, 1:] = upper.ravel()[:-1]
    ab[1] = diag.ravel()
    ab[2, :-1] = lower.ravel()[1:]
    return solve_banded((1, 1), ab, q.ravel(), check_finite=False).reshape(nt, m)


def initial_density(grid: Grid, zeta0: Array, width: float) -> Array:
    """Narrow Gaussians (one per type) normalised to unit mass on the grid."""
    z = grid.centres
    q = np.exp(-0.5 * ((z[None, :] - zeta0[:, None]) / width) ** 2)
    return q / (q.sum(axis=1, keepdims=True) * grid.dz)


def run_fokker_planck(
    types: TypeLaw,
    gamma: float,
    sigma: float,
    batch: int,
    grid: Grid,
    dt: float,
    times: Array,
    width: float = 0.02,
    snapshot_times: Array | None = None,
    prefix: str = "fv",
) -> dict[str, Array]:
    """Finite-volume solution on ``times``: traces ``<prefix>/<observable>`` (n_records,), per-type
    ``log_delta_ratio``, ``int_risk``; ``density_snapshots`` (n_snap, n_types, m) and ``grid`` (m,)."""
    if np.any(types.delta0 == 0):
        raise ValueError("reduced coordinates need Delta(0) != 0 for every type")
    z = grid.centres
    zf = 0.5 * (z[1:] + z[:-1])
    sinh_c, sinh_f = np.sinh(z), np.sinh(zf)
    lam, bstar, wt = types.lam[:, None], types.bstar[:, None], types.weight[:, None]
    abs_delta0 = np.abs(types.delta0)[:, None]
    decay = 2.0 * gamma**2 * lam / batch
    q = initial_density(grid, types.zeta0, width)
    rec_steps = step_indices(times, dt)
    snap_steps = step_indices(snapshot_times, dt) if snapshot_times is not None else np.zeros(0, np.int64)
    n_steps = int(max(rec_steps.max(), snap_steps.max(initial=0)))
    rec = Recorder(len(times), types.n_types, ())
    snaps = []
    int_risk = 0.0
    prev_risk, q_prev = 0.0, q
    shape = (types.n_types, z.size)
    for k in range(n_steps + 1):
        abs_delta = abs_delta0 * np.exp(-decay * int_risk)
        e = 0.5 * abs_delta * sinh_c - bstar
        mass = wt * q * grid.dz
        risk = 0.5 * float(np.sum(mass * lam * e * e)) + 0.5 * sigma**2
        if k in rec_steps:
            edge = float(np.sum(mass[:, :EDGE_CELLS]) + np.sum(mass[:, -EDGE_CELLS:]))
            if edge > EDGE_MASS_MAX:
                raise RuntimeError(
                    f"zeta grid [{grid.lo}, {grid.hi}] too short: mass {edge:.2e} at its ends at t = {k * dt:g}; "
                    "raise fv_zeta_max"
                )
            st = obs.from_reduced(
                (abs_delta * np.sign(types.delta0)[:, None] * np.ones(shape)).ravel(),
                np.broadcast_to(z, shape).ravel(),
                mass.ravel(),
                np.broadcast_to(lam, shape).ravel(),
                np.broadcast_to(bstar, shape).ravel(),
            )
            rec.record(st, sigma, -(decay * int_risk)[:, 0], np.asarray(int_risk))
        if k in snap_steps:
            snaps.append(q.copy())
        if k == n_steps:
            break
        # BDF2 (implicit Euler on the first step) with R and Delta extrapolated to the new time level
        r_new = risk if k == 0 else 2.0 * risk - prev_risk
        delta_new = abs_delta0 * np.exp(-decay * (int_risk + 0.5 * dt * (risk + r_new)))
        drift = -2.0 * gamma * lam * (0.5 * delta_new * sinh_f - bstar)
        A, C = sg_coefficients(drift, np.broadcast_to(4.0 * gamma**2 * lam * r_new / batch, drift.shape), grid.dz)
        if k == 0:
            q_new = implicit_step(q, A, C, dt, grid.dz)
        else:
            q_new = implicit_step((4.0 * q - q_prev) / 3.0, A, C, 2.0 * dt / 3.0, grid.dz)
        q_prev, q = q, q_new
        int_risk += 0.5 * dt * (risk + r_new) if k else risk * dt
        prev_risk = risk
    out = rec.arrays(prefix)
    out[f"{prefix}/grid"] = z
    if snaps:
        out[f"{prefix}/density_snapshots"] = np.stack(snaps)
    return out
