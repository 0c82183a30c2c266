"""Building blocks of the highdim simulations: SGD / HSGD / limit runs of one problem, as flat npz arrays.

Seeds: run r of method m at point p uses ``run_rng(seed, uid, {"method": m, **p}, r)``, so adding a dimension
or a stepsize to a sweep never changes the streams of the existing runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from dln.highdim.hsgd import run_hsgd_raw, run_hsgd_reduced
from dln.highdim.limit_fokker_planck import Grid, run_fokker_planck
from dln.highdim.limit_particles import run_particles
from dln.highdim.model import Problem, TypeLaw
from dln.highdim.sgd import run_sgd
from dln.seeds import run_rng

Array = NDArray[np.float64]
Spec = Mapping[str, Any]


def rngs(seed: int, uid: int, method: str, point: Mapping[str, Any], runs: int) -> list[np.random.Generator]:
    return [run_rng(seed, uid, {"method": method, **point}, r) for r in range(runs)]


def type_arrays(types: TypeLaw, prefix: str) -> dict[str, np.ndarray]:
    return {
        f"{prefix}types/weight": types.weight,
        f"{prefix}types/lam": types.lam,
        f"{prefix}types/bstar": types.bstar,
        f"{prefix}types/delta0": types.delta0,
        f"{prefix}types/zeta0": types.zeta0,
        f"{prefix}types/label": types.label,
    }


def grid_for(types: TypeLaw, spec: Spec) -> Grid:
    """zeta grid [lo, zeta_max]; symmetric when some beta* < 0 (negative zeta* = arcsinh(2 beta*/|Delta|))."""
    hi = float(spec["fv_zeta_max"])
    lo = -hi if np.any(types.bstar < 0) else -float(spec.get("fv_zeta_min_abs", 4.0))
    return Grid(lo, hi, float(spec["fv_dz"]))


def sgd_arrays(
    problem: Problem, types: TypeLaw, seed: int, uid: int, point: Mapping[str, Any], runs: int, times: Array,
    snapshot_times: Array | None = None,
) -> dict[str, Array]:  # fmt: skip
    """Streaming SGD runs of one problem (run r of point p seeded by (uid, {"method": "sgd", **p}, r))."""
    return run_sgd(problem, types, rngs(seed, uid, "sgd", point, runs), times, snapshot_times)


def limit_fv(problem: Problem, types: TypeLaw, spec: Spec, times: Array, snapshot_times: Array | None = None):
    """Finite-volume limit of a problem's type law."""
    return run_fokker_planck(
        types, problem.gamma, problem.sigma, problem.batch, grid_for(types, spec), float(spec["fv_dt"]), times,
        snapshot_times=snapshot_times,
    )  # fmt: skip


def limit_particles(
    problem: Problem, types: TypeLaw, spec: Spec, seed: int, uid: int, point: Mapping[str, Any], times: Array
) -> dict[str, Array]:
    rng = run_rng(seed, uid, {"method": "particles", **point}, 0)
    return run_particles(
        types, problem.gamma, problem.sigma, problem.batch, int(spec["particles"]), float(spec["particle_h"]),
        times, rng,
    )  # fmt: skip


def hsgd(problem: Problem, types: TypeLaw, spec: Spec, seed: int, uid: int, point: Mapping[str, Any], times: Array):
    """HSGD in reduced coordinates (``hsgd_runs`` runs) and in raw coordinates (``hsgd_raw_runs`` runs)."""
    h = float(spec["hsgd_h"])
    out = run_hsgd_reduced(problem, types, rngs(seed, uid, "hsgd", point, int(spec["hsgd_runs"])), times, h)
    raw_runs = int(spec.get("hsgd_raw_runs", 0))
    if raw_runs:
        out |= run_hsgd_raw(problem, types, rngs(seed, uid, "hsgd_raw", point, raw_runs), times, h)
    return out
