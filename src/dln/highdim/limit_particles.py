"""Deterministic limit, solver (a): weighted particles of the McKean-Vlasov SDE in (Delta, zeta).

N particles per coordinate type, each carrying weight (type weight)/N; R(t) is recomputed from the weighted
particle average at every step (`dln.highdim.hsgd.reduced_em` with a single system). Error O(h) + O(N^-1/2).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from dln.highdim.hsgd import reduced_em
from dln.highdim.model import TypeLaw

Array = NDArray[np.float64]


def run_particles(
    types: TypeLaw,
    gamma: float,
    sigma: float,
    batch: int,
    particles: int,
    h: float,
    times: Array,
    rng: np.random.Generator,
    snapshot_times: Array | None = None,
    prefix: str = "particles",
) -> dict[str, Array]:
    """Particle solution on ``times``: traces ``<prefix>/<observable>`` of shape (n_records,), per-type
    ``log_delta_ratio`` (n_records, n_types), ``int_risk``; ``zeta_snapshots`` (n_snap, n) with ``type_of``."""
    if np.any(types.delta0 == 0):
        raise ValueError("reduced coordinates need Delta(0) != 0 for every type")
    type_of = np.repeat(np.arange(types.n_types), particles)
    w = types.weight[type_of] / particles

    def draw(out: Array) -> None:
        rng.standard_normal(out=out)  # in place: the same numbers as a fresh draw of that shape, no copy

    rec = reduced_em(
        w, types.lam[type_of], types.bstar[type_of], types.delta0[type_of], types.zeta0[type_of], type_of,
        types.n_types, gamma, sigma, batch, h, times, draw, 1, snapshot_times,
    )  # fmt: skip
    out = {k: v[0] for k, v in rec.arrays(prefix).items() if not k.endswith("zeta_snapshots")}
    if rec.snapshots:
        out[f"{prefix}/zeta_snapshots"] = np.stack(rec.snapshots)[:, 0]
        out[f"{prefix}/type_of"] = type_of
    return out
