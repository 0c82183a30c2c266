"""Batched training of diagonal linear networks: many runs advanced as one array program.

Every method shares one multiplicative update. With a per-coordinate increment eps_k (shape (runs, d)),

    u_{k+1} = u_k - eps_k * v_k,      v_{k+1} = v_k - eps_k * u_k,

so that a = u + v and c = u - v evolve as a *= (1 - eps), c *= (1 + eps). The methods differ only in eps:

* ``gd``   eps = gamma * grad L(beta)                               (time advances by gamma per step)
* ``sgd``  eps = gamma * grad L_B(beta), B a uniform batch of size b  (time advances by gamma per step)
* ``sgf``  eps = h * grad L(beta) + sqrt(2 gamma L(beta) h / n) X^T z, z ~ N(0, I_n)
  (Euler-Maruyama for the stochastic gradient flow of Pesme et al. 2021, time advances by h)

with L(beta) = ||X beta - y||^2 / (2n). The driver (`train`) walks a common grid of record steps in blocks,
draws each run's randomness from that run's own Generator (so a run's stream never depends on which other
runs share the grid), freezes runs that converged, diverged or spent their step budget, and keeps working
only on the active ones.

Random-stream contract (shared with `dln.reference`): per step, SGD with b = 1 uses one uniform U and the
index floor(U n); SGD with 1 < b < n uses n uniforms and the b indices of the smallest ones; full batches
draw nothing; SGF draws n standard normals.

Engines: a block of steps is advanced either by compiled kernels (`dln.kernels`, numba: run by run, or for
full-batch methods with many runs per problem, group by group with two matrix products per step) or by the
vectorised numpy program below (all active runs at once, one Python-level step at a time). Both consume the
same pre-drawn randomness and agree with each other and with `dln.reference` to round-off (the tests hold
them to 1e-12); ``engine="auto"`` picks the faster one for the problem size (`choose_engine`, measured by
benchmarks/run.py). Long runs report progress with an ETA on stderr (`Progress`); it never changes results.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TextIO

import numpy as np
from numpy.typing import NDArray

from dln.status import Status

Array = NDArray[np.float64]
Method = Literal["gd", "sgd", "sgf"]
Engine = Literal["auto", "numba", "numpy"]

CONVERGED, STALLED, DIVERGED = Status.CONVERGED, Status.STALLED, Status.DIVERGED


@dataclass(frozen=True)
class Stopping:
    """When a run stops and how its status is decided.

    A run stops early once its train loss is <= ``stop_loss`` (converged; further steps would not move it
    beyond round-off), or once it is non-finite or exceeds ``diverge_bound`` in any weight (diverged). At
    the end of its budget a run is *converged* if its loss is <= ``converged_loss``, otherwise *stalled*.
    """

    stop_loss: float = 1e-26
    converged_loss: float = 1e-10
    diverge_bound: float = 1e8


@dataclass(frozen=True)
class Tracking:
    """Optional per-step accumulators (each costs extra work per step)."""

    gain: bool = False  # sum_k q(eps_k), q(x) = -log|1 - x^2|
    gain_plus: bool = False  # sum_k q_+(eps_k), q_+(x) = -2x - log((1 - x)^2) -> extras["gain_plus"] (G, d)
    loss_integral: bool = False  # sum_k dt_k L(beta_k) (full-batch loss, also for SGD)
    dense_loss_steps: int = 0  # full-batch loss at every step k < this -> extras["dense_loss"] (G, K)
    weights: bool = False  # u and v at every record step -> extras["u_trace"], extras["v_trace"] (G, T, d)


@dataclass
class TrainResult:
    """Final state, status and subsampled traces of a grid of runs (arrays indexed by run first)."""

    method: str
    u: Array  # (G, d)
    v: Array  # (G, d)
    status: NDArray[np.int8]  # (G,) dln.status.Status codes
    steps: NDArray[np.int64]  # (G,) steps actually taken
    time: Array  # (G,) continuous time reached (sum of dt)
    increment_sum: Array  # (G, d) Z = sum_k eps_k
    final_loss: Array  # (G,)
    record_steps: NDArray[np.int64]  # (T,) step indices of the traces
    loss_trace: Array  # (G, T) train loss at record steps (frozen runs carry their last value)
    test_trace: Array  # (G, T) ||beta - beta*||^2 at record steps
    gain: Array | None = None  # (G, d)
    loss_integral: Array | None = None  # (G,)
    extras: dict[str, Array] = field(default_factory=dict)

    @property
    def beta(self) -> Array:
        return np.asarray(self.u * self.v)


def record_grid(n_steps: int, n_records: int) -> NDArray[np.int64]:
    """Record steps 0 .. n_steps: log-spaced (for log-time plots) and always containing both ends."""
    if n_steps < 1:
        raise ValueError(f"n_steps must be >= 1, got {n_steps}")
    grid = np.unique(np.round(np.geomspace(1, n_steps, max(n_records - 1, 1))).astype(np.int64))
    return np.concatenate([[0], grid])


def q_gain(eps: Array) -> Array:
    """q(x) = -1/2 log((1 - x^2)^2): the per-step gain of Even et al. 2023."""
    return np.asarray(-np.log(np.abs(1.0 - eps * eps)))


def q_plus(eps: Array) -> Array:
    """q_+(x) = -2x - log((1 - x)^2): the per-step term of Even et al.'s alpha_+^2 = alpha^2 exp(-sum q_+)."""
    return np.asarray(-2.0 * eps - 2.0 * np.log(np.abs(1.0 - eps)))


@dataclass
class _Batch:
    """Data of the active runs, gathered once per block."""

    X: Array  # (A, n, d)
    y: Array  # (A, n)
    stepsize: Array  # (A,)
    batch_size: NDArray[np.int64]  # (A,)
    substep: Array  # (A,)


def _full_residual(batch: _Batch, beta: Array) -> Array:
    return np.asarray((batch.X @ beta[:, :, None])[..., 0] - batch.y)


def _draw(method: Method, rng: np.random.Generator, n: int, b: int, k: int) -> NDArray:
    """This run's randomness for the next ``k`` steps (see the module's random-stream contract)."""
    if method == "sgf":
        return rng.standard_normal((k, n))
    if method == "gd" or b >= n:
        return np.broadcast_to(np.arange(n), (k, n))
    if b == 1:
        return np.floor(rng.random(k) * n).astype(np.int64)[:, None]
    return np.argsort(rng.random((k, n)), axis=1, kind="stable")[:, :b]


def _increments(
    method: Method, batch: _Batch, beta: Array, draws: NDArray | None, j: int, b_max: int
) -> tuple[Array, Array, Array | None]:
    """(eps, dt, full loss or None) for step ``j`` of the block, for all active runs."""
    A, n, _ = batch.X.shape
    if method == "sgd" and draws is not None:
        idx = draws[:, j, :]  # (A, b_max)
        rows = np.arange(A)[:, None]
        xb = batch.X[rows, idx]  # (A, b_max, d)
        r = (xb @ beta[:, :, None])[..., 0] - batch.y[rows, idx]
        weights = (np.arange(b_max)[None, :] < batch.batch_size[:, None]) / batch.batch_size[:, None]
        g = ((r * weights)[:, None, :] @ xb)[:, 0, :]
        return batch.stepsize[:, None] * g, batch.stepsize, None
    r = _full_residual(batch, beta)
    loss = 0.5 * np.mean(r * r, axis=1)
    if method == "sgf":  # eps = X^T (h r / n + sqrt(2 gamma L h / n) z): drift and noise in one product
        h = batch.substep
        assert draws is not None
        scale = np.sqrt(2.0 * batch.stepsize * loss * h / n)
        w = (h / n)[:, None] * r + scale[:, None] * draws[:, j, :]
        return (w[:, None, :] @ batch.X)[:, 0, :], h, loss
    w = (batch.stepsize / n)[:, None] * r
    return (w[:, None, :] @ batch.X)[:, 0, :], batch.stepsize, loss


def train(
    method: Method,
    X: Array,
    y: Array,
    beta_star: Array,
    data_index: NDArray[np.int64],
    stepsize: Array,
    init_u: Array,
    init_v: Array,
    n_steps: NDArray[np.int64] | int,
    rngs: Sequence[np.random.Generator] | None,
    *,
    batch_size: NDArray[np.int64] | int | None = None,
    substep: Array | float | None = None,
    n_records: int = 60,
    stopping: Stopping | None = None,
    tracking: Tracking | None = None,
    block: int = 256,
    engine: Engine = "auto",
    progress: bool | None = None,
) -> TrainResult:
    """Train a grid of G runs of one method at once.

    Args:
        method: "gd", "sgd" or "sgf".
        X, y, beta_star: stacked problems, shapes (S, n, d), (S, n), (S, d).
        data_index: (G,) which problem each run trains on.
        stepsize: (G,) stepsize gamma of each run (for SGF the temperature gamma).
        init_u, init_v: (G, d) initial weights (the convention is u = sqrt(2) alpha, v = 0).
        n_steps: step budget, scalar or (G,) (time-matched horizons give small stepsizes more steps).
        rngs: one Generator per run (None allowed for GD only).
        batch_size: (G,) or scalar, SGD only; b >= n is the full batch.
        substep: (G,) or scalar Euler-Maruyama step h, SGF only.
        n_records: number of log-spaced record points of the traces.
        stopping, tracking: see `Stopping` and `Tracking`.
        block: steps per block of pre-drawn randomness (memory ~ G * block * n); stopping is checked
            after each block, so ``block`` is part of a run's definition (``steps`` of early-stopped runs).
        engine: "numba" (compiled kernels), "numpy" (vectorised array program) or "auto" (`choose_engine`);
            both give the same results up to round-off.
        progress: progress bar with ETA on stderr; None shows it for runs longer than a few seconds unless
            the environment variable DLN_PROGRESS is "0". Never changes results.
    """
    stopping = stopping or Stopping()
    tracking = tracking or Tracking()
    X = np.asarray(X, dtype=float)
    S, n, d = X.shape
    data_index = np.asarray(data_index, dtype=np.int64)
    G = data_index.shape[0]
    stepsize = np.broadcast_to(np.asarray(stepsize, dtype=float), (G,)).copy()
    budget = np.broadcast_to(np.asarray(n_steps, dtype=np.int64), (G,)).copy()
    bsz = np.broadcast_to(np.asarray(n if batch_size is None else batch_size, dtype=np.int64), (G,)).copy()
    h = np.broadcast_to(np.asarray(np.nan if substep is None else substep, dtype=float), (G,)).copy()
    if method not in ("gd", "sgd", "sgf"):
        raise ValueError(f"unknown method {method!r}; expected 'gd', 'sgd' or 'sgf'")
    if np.any(bsz < 1):
        raise ValueError(f"batch sizes must be >= 1, got {bsz.min()}")
    bsz = np.minimum(bsz, n)
    if method == "gd":
        bsz[:] = n
    if method == "sgf" and not np.all(h > 0):
        raise ValueError("method 'sgf' needs a positive substep h for every run")
    if method != "gd" and (rngs is None or len(rngs) != G):
        raise ValueError(f"method {method!r} needs one Generator per run ({G})")
    if engine == "auto":
        engine = choose_engine(method, n, d, int(bsz.min()))
    if engine not in ("numba", "numpy"):
        raise ValueError(f"unknown engine {engine!r}; expected 'auto', 'numba' or 'numpy'")
    advance = _advance_numba if engine == "numba" else _advance_numpy

    U = np.array(init_u, dtype=float, copy=True).reshape(G, d)
    V = np.array(init_v, dtype=float, copy=True).reshape(G, d)
    Z = np.zeros((G, d))
    gain = np.zeros((G, d)) if tracking.gain else None
    gain_plus = np.zeros((G, d)) if tracking.gain_plus else None
    lint = np.zeros(G) if tracking.loss_integral else None
    dense = np.full((G, tracking.dense_loss_steps), np.nan) if tracking.dense_loss_steps > 0 else None
    steps = np.zeros(G, dtype=np.int64)
    time = np.zeros(G)
    status = np.full(G, STALLED, dtype=np.int8)
    done = np.zeros(G, dtype=bool)

    rec = record_grid(int(budget.max()), n_records)
    T = rec.size
    loss_tr = np.full((G, T), np.nan)
    u_tr = np.full((G, T, d), np.nan) if tracking.weights else None
    v_tr = np.full((G, T, d), np.nan) if tracking.weights else None
    test_tr = np.full((G, T), np.nan)
    X = np.ascontiguousarray(X)
    ys = np.ascontiguousarray(y, dtype=float)
    bstar = np.asarray(beta_star, dtype=float)
    data = _Data(X, np.ascontiguousarray(X.transpose(0, 2, 1)) if engine == "numba" else X, ys)
    params = _RunParams(data_index, stepsize, bsz, h)
    state = _RunState(U, V, Z, gain, gain_plus, lint, dense, steps, time)

    def evaluate(rows: NDArray[np.int64]) -> tuple[Array, Array]:
        beta = U[rows] * V[rows]
        r = (X[data_index[rows]] @ beta[:, :, None])[..., 0] - ys[data_index[rows]]
        diff = beta - bstar[data_index[rows]]
        return 0.5 * np.mean(r * r, axis=1), np.sum(diff * diff, axis=1)

    def classify(rows: NDArray[np.int64], loss: Array) -> None:
        w = np.maximum(np.abs(U[rows]).max(axis=1), np.abs(V[rows]).max(axis=1))
        bad = ~np.isfinite(loss) | ~(w <= stopping.diverge_bound)
        good = ~bad & (loss <= stopping.stop_loss)
        out_of_budget = steps[rows] >= budget[rows]
        status[rows[bad]] = DIVERGED
        status[rows[good]] = CONVERGED
        final = ~bad & ~good & out_of_budget
        status[rows[final]] = np.where(loss[final] <= stopping.converged_loss, CONVERGED, STALLED)
        done[rows[bad | good | out_of_budget]] = True

    bar = Progress(budget, f"{method} x{G}", progress)
    with bar, np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        all_rows = np.arange(G)
        loss0, test0 = evaluate(all_rows)
        loss_tr[:, 0], test_tr[:, 0] = loss0, test0
        if u_tr is not None and v_tr is not None:
            u_tr[:, 0], v_tr[:, 0] = U, V
        classify(all_rows, loss0)
        for t in range(1, T):
            target = rec[t]
            while True:
                active = np.flatnonzero(~done & (steps < target))
                if active.size == 0:
                    break
                k = int(min(block, target - steps[active].max()))
                k = max(k, 1)
                # runs whose own budget ends inside this block only take the steps they have left
                todo = np.minimum(np.minimum(target, budget[active]) - steps[active], k)
                draws = _block_draws(method, active, todo, k, n, bsz, rngs)
                advance(method, data, params, state, active, todo, draws)
                loss, _ = evaluate(active)
                classify(active, loss)
                bar.update(steps, done)
            loss_t, test_t = evaluate(all_rows)
            loss_tr[:, t], test_tr[:, t] = loss_t, test_t
            if u_tr is not None and v_tr is not None:
                u_tr[:, t], v_tr[:, t] = U, V
        final_loss, _ = evaluate(all_rows)
    diverged = status == DIVERGED
    loss_tr[diverged] = np.where(np.isfinite(loss_tr[diverged]), loss_tr[diverged], np.nan)
    extras: dict[str, Array] = {}
    if dense is not None:
        extras["dense_loss"] = dense
    if gain_plus is not None:
        extras["gain_plus"] = gain_plus
    if u_tr is not None and v_tr is not None:
        extras["u_trace"], extras["v_trace"] = u_tr, v_tr
    return TrainResult(
        method=method,
        u=U,
        v=V,
        status=status,
        steps=steps,
        time=time,
        increment_sum=Z,
        final_loss=final_loss,
        record_steps=rec,
        loss_trace=loss_tr,
        test_trace=test_tr,
        gain=gain,
        loss_integral=lint,
        extras=extras,
    )


@dataclass(frozen=True)
class _RunParams:
    """Per-run hyper-parameters of a grid, shape (G,) each."""

    data_index: NDArray[np.int64]
    stepsize: Array
    batch_size: NDArray[np.int64]
    substep: Array


@dataclass(frozen=True)
class _RunState:
    """Per-run state that the engines advance in place (the arrays are shared with `train`)."""

    U: Array  # (G, d)
    V: Array  # (G, d)
    Z: Array  # (G, d) sum of increments
    gain: Array | None  # (G, d)
    gain_plus: Array | None  # (G, d)
    lint: Array | None  # (G,)
    dense: Array | None  # (G, K)
    steps: NDArray[np.int64]  # (G,)
    time: Array  # (G,)


@dataclass(frozen=True)
class _Data:
    """The stacked problems, C-contiguous; XT (S, d, n) is X transposed for the compiled kernels."""

    X: Array  # (S, n, d)
    XT: Array  # (S, d, n)
    y: Array  # (S, n)


# Above this many entries of X, a full-batch step is dominated by its two matrix-vector products, where the
# numpy engine's BLAS calls over all runs at once match or beat the kernel's loops (benchmarks/run.py,
# "engine crossover", one problem per run: the kernel is 1.6-1.7x faster at n d = 600 and 4000, about even at
# 3e4, the numpy engine 1.2-2x faster at 1e5 and above).
NUMBA_MAX_ENTRIES = 50_000


def choose_engine(method: Method, n: int, d: int, min_batch: int) -> Literal["numba", "numpy"]:
    """The faster engine for this problem size (measured by benchmarks/run.py); numpy if numba is missing.

    Sampled SGD (some b < n) always favours the kernel: a step touches b rows, and the numpy engine pays
    a dozen array operations per step whatever b is.
    """
    try:
        import numba  # noqa: F401
    except ImportError:  # pragma: no cover - numba is a dependency; keep the numpy engine usable without it
        return "numpy"
    if method == "sgd" and min_batch < n:
        return "numba"
    return "numba" if n * d <= NUMBA_MAX_ENTRIES else "numpy"


def _block_draws(
    method: Method,
    active: NDArray[np.int64],
    todo: NDArray[np.int64],
    k: int,
    n: int,
    bsz: NDArray[np.int64],
    rngs: Sequence[np.random.Generator] | None,
) -> NDArray | None:
    """The block's randomness, (A, k, width), each run's rows drawn from its own Generator (None: none needed).

    SGD: sample indices (width = largest batch; full-batch rows hold 0..n-1); SGF: standard normals (width n).
    """
    if not (method == "sgf" or (method == "sgd" and int(bsz[active].min()) < n)):
        return None
    assert rngs is not None
    if method == "sgf":  # drawn in place: the same numbers as rng.standard_normal((m, n))
        normals = np.zeros((active.size, k, n))
        for a, (i, m) in enumerate(zip(active, todo, strict=True)):
            rngs[i].standard_normal(out=normals[a, :m])
        return normals
    b_act = bsz[active]
    idx = np.zeros((active.size, k, int(min(b_act.max(), n))), dtype=np.int64)
    single = np.flatnonzero(b_act == 1)
    if single.size:  # b = 1: floor(U n) of one uniform per step, vectorised over the block
        uniforms = np.zeros((single.size, k))
        for a, row in enumerate(single):
            rngs[active[row]].random(out=uniforms[a, : todo[row]])
        idx[single, :, 0] = np.floor(uniforms * n).astype(np.int64)
    for row in np.flatnonzero(b_act > 1):
        part = _draw(method, rngs[active[row]], n, int(b_act[row]), int(todo[row]))
        idx[row, : part.shape[0], : part.shape[1]] = part
    return idx


# Mean number of active runs per problem from which the grouped kernel (two matrix products per step and
# problem, BLAS) beats the run-by-run loops: from 8 runs per problem it is 1.3-1.9x faster, below it is slower
# (measured at n x d = 20 x 30 and 40 x 100, group sizes 1 to 40).
MIN_GROUP = 8

_NO_INT = np.zeros((0, 0, 0), dtype=np.int64)
_NO_FLOAT = np.zeros((0, 0, 0))


def _advance_numba(
    method: Method,
    data: _Data,
    params: _RunParams,
    state: _RunState,
    active: NDArray[np.int64],
    todo: NDArray[np.int64],
    draws: NDArray | None,
) -> None:
    """Advance the active runs (run i by ``todo[i]`` steps) with the compiled kernel, in place."""
    data_index, stepsize, bsz, h = params.data_index, params.stepsize, params.batch_size, params.substep
    U, V, Z, gain, lint, dense = state.U, state.V, state.Z, state.gain, state.lint, state.dense
    steps, time = state.steps, state.time
    from dln import kernels

    n = data.X.shape[1]
    gain_plus = state.gain_plus
    tracked = (
        gain if gain is not None else np.zeros((0, 0)),
        gain_plus if gain_plus is not None else np.zeros((0, 0)),
        lint if lint is not None else np.zeros(0),
        dense if dense is not None else np.zeros((0, 0)),
        steps,
        time,
        gain is not None,
        gain_plus is not None,
        lint is not None,
    )
    rows = data_index[active]
    full = method == "sgf" or int(bsz[active].min()) >= n
    mode = kernels.SGF if method == "sgf" else kernels.FULL if full else kernels.SAMPLED
    order = np.argsort(rows, kind="stable")
    starts = np.flatnonzero(np.diff(rows[order], prepend=-1, append=-2))
    if full and active.size >= MIN_GROUP * (starts.size - 1):  # many runs per problem: two BLAS products a step
        kernels.advance_groups(
            mode,
            data.X,
            data.XT,
            data.y,
            active,
            order,
            starts,
            rows,
            stepsize[active],
            h[active],
            todo,
            draws if draws is not None else _NO_FLOAT,
            U,
            V,
            Z,
            *tracked,
        )
        return
    kernels.advance_block(
        mode,
        data.X,
        data.XT,
        data.y,
        active,
        rows,
        stepsize[active],
        bsz[active],
        h[active],
        todo,
        draws if draws is not None and method == "sgd" else _NO_INT,
        draws if draws is not None and method == "sgf" else _NO_FLOAT,
        U,
        V,
        Z,
        *tracked,
    )


def _advance_numpy(
    method: Method,
    data: _Data,
    params: _RunParams,
    state: _RunState,
    active: NDArray[np.int64],
    todo: NDArray[np.int64],
    draws: NDArray | None,
) -> None:
    """Advance the active runs (run i by ``todo[i]`` steps) as one array program, in place."""
    data_index, stepsize, bsz, h = params.data_index, params.stepsize, params.batch_size, params.substep
    U, V, Z, gain, lint, dense = state.U, state.V, state.Z, state.gain, state.lint, state.dense
    steps, time = state.steps, state.time
    X, y = data.X, data.y
    n = X.shape[1]
    di = data_index[active]
    batch = _Batch(
        X=X[di],
        y=y[di],
        stepsize=stepsize[active],
        batch_size=bsz[active],
        substep=h[active],
    )
    b_max = int(min(batch.batch_size.max(), n))
    u, v = U[active], V[active]
    z_sum = Z[active]
    g_sum = gain[active] if gain is not None else None
    gp_sum = state.gain_plus[active] if state.gain_plus is not None else None
    l_sum = lint[active] if lint is not None else None
    t_sum = time[active]
    need_loss = l_sum is not None or (dense is not None and int(steps[active].min()) < dense.shape[1])
    start = steps[active]
    for j in range(int(todo.max())):
        live = (j < todo)[:, None]
        beta = u * v
        eps, dt, loss = _increments(method, batch, beta, draws, j, b_max)
        eps = np.where(live, eps, 0.0)
        dt = np.where(live[:, 0], dt, 0.0)
        u, v = u - eps * v, v - eps * u
        z_sum += eps
        t_sum += dt
        if g_sum is not None:
            g_sum += q_gain(eps)
        if gp_sum is not None:
            gp_sum += q_plus(eps)
        if need_loss:
            if loss is None:
                r = _full_residual(batch, beta)
                loss = 0.5 * np.mean(r * r, axis=1)
            if l_sum is not None:
                l_sum += dt * loss
            if dense is not None:
                at = start + j
                keep = live[:, 0] & (at < dense.shape[1])
                dense[active[keep], at[keep]] = loss[keep]
    U[active], V[active], Z[active], time[active] = u, v, z_sum, t_sum
    if gain is not None and g_sum is not None:
        gain[active] = g_sum
    if state.gain_plus is not None and gp_sum is not None:
        state.gain_plus[active] = gp_sum
    if lint is not None and l_sum is not None:
        lint[active] = l_sum
    steps[active] += todo


class _LineWriter:
    """A stderr wrapper for logs: each progress refresh becomes one plain line instead of a carriage return."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> None:
        line = text.replace("\r", "").strip()
        if line:
            self.stream.write(line + "\n")

    def flush(self) -> None:
        self.stream.flush()


class Progress:
    """Progress with ETA of a grid of runs on stderr (tqdm), counted in run-steps.

    A stopped run counts as its whole budget, so the bar ends at 100 % whatever stops early. On a terminal
    the bar refreshes twice a second; in a log file (a Snakemake rule's log) it writes one line every 30 s.
    ``enabled=None`` shows it only for runs that last over 5 s, unless DLN_PROGRESS=0 in the environment.
    """

    def __init__(self, budget: NDArray[np.int64], desc: str, enabled: bool | None) -> None:
        self.budget = budget
        self.bar: Any = None
        if enabled is True or (enabled is None and os.environ.get("DLN_PROGRESS", "1") != "0"):
            from tqdm import tqdm

            tty = sys.stderr.isatty()
            self.bar = tqdm(
                total=int(budget.sum()),
                desc=desc,
                unit="step",
                unit_scale=True,
                delay=0.0 if enabled else 5.0,
                mininterval=0.5 if tty else 30.0,
                maxinterval=10.0 if tty else 60.0,
                file=sys.stderr if tty else _LineWriter(sys.stderr),
                ascii=not tty,
                dynamic_ncols=tty,
            )

    def update(self, steps: NDArray[np.int64], done: NDArray[np.bool_]) -> None:
        if self.bar is not None:
            self.bar.update(int(np.where(done, self.budget, steps).sum()) - self.bar.n)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()
