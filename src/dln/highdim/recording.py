"""Recording of traces on a common time grid (t = steps/d), shared by SGD, HSGD and the limit solvers."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from dln.highdim import observables as obs

Array = NDArray[np.float64]


def time_grid(horizon: float, n_records: int) -> Array:
    """Uniform record times 0 .. horizon."""
    return np.linspace(0.0, float(horizon), int(n_records))


def step_indices(times: Array, dt: float) -> NDArray[np.int64]:
    """Integer step index of each record time for a scheme of time step dt."""
    return np.rint(np.asarray(times) / dt).astype(np.int64)


@dataclass
class Recorder:
    """Accumulates observables, log Delta ratios per type, int R and zeta snapshots at record steps."""

    n_records: int
    n_types: int
    batch_shape: tuple[int, ...]
    snapshot_count: int = 0
    traces: dict[str, list[Array]] = field(default_factory=dict)
    snapshots: list[Array] = field(default_factory=list)

    def record(self, st: obs.State, sigma: float, log_delta_types: Array, int_risk: Array) -> None:
        for name, val in obs.all_observables(st, sigma).items():
            self.traces.setdefault(name, []).append(np.array(val, dtype=float))
        self.traces.setdefault("log_delta_ratio", []).append(np.array(log_delta_types, dtype=float))
        self.traces.setdefault("int_risk", []).append(np.array(int_risk, dtype=float))

    def arrays(self, prefix: str) -> dict[str, Array]:
        """Traces with the time axis last for scalars, (..., n_records, n_types) for per-type arrays."""
        out = {}
        for name, vals in self.traces.items():
            a = np.stack(vals, axis=-1 if name != "log_delta_ratio" else -2)
            out[f"{prefix}/{name}"] = a
        if self.snapshots:
            out[f"{prefix}/zeta_snapshots"] = np.stack(self.snapshots)
        return out
