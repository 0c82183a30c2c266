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
from dln.layout import Layout, f64, i8, i64
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


def problem_set_layout(seeds: str = "S") -> Layout:
    """Layout of `ProblemSet.arrays`: X (S, n, d), y (S, n), beta_star (S, d)."""
    return Layout(
        f64("X", f"{seeds} n d", "design of each data seed"),
        f64("y", f"{seeds} n", "noiseless targets y = X beta*"),
        f64("beta_star", f"{seeds} d", "sparse teacher"),
    )


def train_result_layout(
    runs: str = "runs",
    records: str = "records",
    *,
    gain: bool = False,
    loss_integral: bool = False,
    extras: Layout | None = None,
) -> Layout:
    """Layout of `result_arrays` of one `TrainResult` (before it is moved under its prefix with ``.under``).

    ``runs`` and ``records`` name the dimensions, so that several results in one file keep their own sizes.
    """
    return Layout(
        f64("u", f"{runs} d", "final u of every run"),
        f64("v", f"{runs} d", "final v of every run"),
        i8("status", runs, "dln.status.Status: 0 converged, 1 stalled, 2 diverged"),
        i64("steps", runs, "steps taken"),
        f64("time", runs, "continuous time reached (sum of step sizes)"),
        f64("increment_sum", f"{runs} d", "sum over steps of the multiplicative increments eps_k"),
        f64("final_loss", runs, "final train loss ||X beta - y||^2 / (2n)"),
        i64("record_steps", records, "step index of each record"),
        f64("loss_trace", f"{runs} {records}", "train loss at the record steps"),
        f64("test_trace", f"{runs} {records}", "||beta - beta*||^2 at the record steps"),
        *([f64("gain", f"{runs} d", "sum_k -log|1 - eps_k^2| (Even et al. 2023)")] if gain else []),
        *([f64("loss_integral", runs, "sum_k dt_k L(beta_k)")] if loss_integral else []),
        *([extras] if extras is not None else []),
    )


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
