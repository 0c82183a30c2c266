"""Glue between configs and `dln.training`: seeded problem sets, per-run generators, result arrays.

Finite-data families build their simulations from these pieces so that seeds, data sharing and the
layout of the `.npz` files are the same everywhere (see the conventions in the README).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from dln.data import Problem, make_problem
from dln.seeds import run_rng
from dln.training import TrainResult

Array = NDArray[np.float64]

DATA_POINT = {"role": "data"}


@dataclass(frozen=True)
class ProblemSet:
    """S problems of the same shape, stacked for `dln.training.train`."""

    problems: tuple[Problem, ...]

    @property
    def X(self) -> Array:
        return np.stack([p.X for p in self.problems])

    @property
    def y(self) -> Array:
        return np.stack([p.y for p in self.problems])

    @property
    def beta_star(self) -> Array:
        return np.stack([p.beta_star for p in self.problems])

    def arrays(self) -> dict[str, Array]:
        """Data for the .npz: X (S, n, d), y (S, n), beta_star (S, d)."""
        return {"X": self.X, "y": self.y, "beta_star": self.beta_star}


def problem_set(seed: int, uid: int, repeats: int, spec: Mapping[str, Any]) -> ProblemSet:
    """``repeats`` problems drawn from the run identities (uid, data point, r), r = 0..repeats-1.

    ``spec`` supplies n, d, s and optionally mean, row_spread, teacher_scale (mean and row_spread are part of
    the data point, so they select different streams).
    """
    kw = {k: spec[k] for k in ("mean", "row_spread", "teacher_scale") if k in spec}
    point = DATA_POINT | {k: v for k, v in kw.items() if k != "teacher_scale"}
    return ProblemSet(
        tuple(
            make_problem(run_rng(seed, uid, point, r), int(spec["n"]), int(spec["d"]), int(spec["s"]), **kw)
            for r in range(repeats)
        )
    )


def run_rngs(
    seed: int, uid: int, points: Sequence[Mapping[str, Any]], repeats: NDArray[np.int64]
) -> list[np.random.Generator]:
    """One Generator per run, from (uid, point of the run, repeat of the run)."""
    return [run_rng(seed, uid, p, int(r)) for p, r in zip(points, repeats, strict=True)]


def balanced_init(alpha: float | Array, shape: tuple[int, int]) -> tuple[Array, Array]:
    """u0 = sqrt(2) alpha, v0 = 0 (beta0 = 0, u^2 - v^2 = 2 alpha^2), broadcast to ``shape``."""
    u0 = np.broadcast_to(np.sqrt(2.0) * np.asarray(alpha, dtype=float), shape).copy()
    return u0, np.zeros(shape)


def result_arrays(prefix: str, res: TrainResult) -> dict[str, Array]:
    """Flatten a TrainResult into ``prefix/field`` arrays for an .npz."""
    out: dict[str, Any] = {
        "u": res.u,
        "v": res.v,
        "status": res.status,
        "steps": res.steps,
        "time": res.time,
        "increment_sum": res.increment_sum,
        "final_loss": res.final_loss,
        "record_steps": res.record_steps,
        "loss_trace": res.loss_trace,
        "test_trace": res.test_trace,
    }
    if res.gain is not None:
        out["gain"] = res.gain
    if res.loss_integral is not None:
        out["loss_integral"] = res.loss_integral
    out.update(res.extras)
    return {f"{prefix}/{k}": np.asarray(v) for k, v in out.items()}
