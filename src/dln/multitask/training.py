"""Full-batch GD for +/- diagonal networks, batched over configurations, float64 (the authors' protocol).

A network has a first layer (w+, w-) shared by its T tasks and one readout (v+, v-) per task; task t predicts
with beta_t = w+ v+_t - w- v-_t. The loss is the MEAN squared error over all samples of all tasks (no 1/2),
so a task's gradient is 2 X_t^T r_t / (sum of sample counts). T = 1 is single-task training (STL, PT+FT,
pretraining); T = 2 with the auxiliary task first is MTL. Each configuration (column) stops at the first step
whose train MSE is below ``threshold`` or at ``max_steps``; stopped columns are frozen and then dropped from
the working set, so the cost follows the columns still running. The population loss of one task is recorded
every ``check_every`` steps (the paper's validation every 50 epochs) for the minimum over checkpoints.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray
from scipy.linalg import blas

from dln.multitask.update import gd_update
from dln.status import Status
from dln.training import Progress

Array = NDArray[np.float64]

DIVERGENCE_LOSS = 100.0


@dataclass(frozen=True)
class GramTask:
    """A task whose inputs X (N, D) are shared by every column: gradients through G = X^T X (cheaper if N >= D).

    Targets are noiseless, y = X beta*, so the residual sum of squares is delta^T G delta, delta = beta - beta*.
    """

    gram: Array
    beta_star: Array  # (C, D)
    n: int

    def counts(self) -> NDArray[np.int64]:
        return np.full(self.beta_star.shape[0], self.n, dtype=np.int64)

    def grad_sse(self, delta: Array, out: Array) -> Array:
        """Write X^T r (C, D) into ``out`` for residuals r = X delta; return each column's sum of squares."""
        np.matmul(delta, self.gram, out=out)
        return np.einsum("cd,cd->c", delta, out)

    def subset(self, idx: NDArray[np.int64]) -> GramTask:
        return GramTask(self.gram, self.beta_star[idx], self.n)


@dataclass(frozen=True)
class SymmetricGramTask(GramTask):
    """A `GramTask` for few columns (pretraining: one): each column's product reads one triangle of the
    symmetric G (BLAS ``dsymv``), half the memory traffic of a general product, about 2x faster at D = 1000.
    Not used where a general product's rounding is part of a recorded result (MTL keeps `GramTask`)."""

    def grad_sse(self, delta: Array, out: Array) -> Array:
        g = self.gram.T  # Fortran-ordered view of the symmetric G: no copy into BLAS
        for c in range(delta.shape[0]):
            out[c] = blas.dsymv(1.0, g, delta[c])
        return np.einsum("cd,cd->c", delta, out)

    def subset(self, idx: NDArray[np.int64]) -> SymmetricGramTask:
        return SymmetricGramTask(self.gram, self.beta_star[idx], self.n)


@dataclass(frozen=True)
class PoolTask:
    """A task whose column c uses the first n_c rows of a shared pool X (nested sample sizes)."""

    pool: Array
    n_rows: NDArray[np.int64]  # (C,)
    beta_star: Array  # (C, D)

    def counts(self) -> NDArray[np.int64]:
        return self.n_rows

    @cached_property
    def groups(self) -> list[tuple[int, NDArray[np.int64]]]:
        """(n, columns using the first n rows), once per working set rather than once per step."""
        return [(int(n), np.flatnonzero(self.n_rows == n)) for n in np.unique(self.n_rows)]

    def grad_sse(self, delta: Array, out: Array) -> Array:
        """As `GramTask.grad_sse`, with two products per sample size through the pool's rows."""
        sse = np.empty(delta.shape[0])
        for n, idx in self.groups:
            x = self.pool[:n]
            r = delta[idx] @ x.T
            out[idx] = r @ x
            sse[idx] = np.einsum("cn,cn->c", r, r)
        return sse

    def subset(self, idx: NDArray[np.int64]) -> PoolTask:
        return PoolTask(self.pool, self.n_rows[idx], self.beta_star[idx])


Task = GramTask | SymmetricGramTask | PoolTask


@dataclass
class Weights:
    """w+, w- of shape (C, D); v+, v- of shape (T, C, D)."""

    w_pos: Array
    w_neg: Array
    v_pos: Array
    v_neg: Array

    def betas(self) -> Array:
        """(T, C, D) task coefficients."""
        return np.asarray(self.w_pos * self.v_pos - self.w_neg * self.v_neg)

    def take(self, idx: NDArray[np.int64]) -> Weights:
        return Weights(self.w_pos[idx], self.w_neg[idx], self.v_pos[:, idx], self.v_neg[:, idx])

    def put(self, idx: NDArray[np.int64], other: Weights) -> None:
        self.w_pos[idx], self.w_neg[idx] = other.w_pos, other.w_neg
        self.v_pos[:, idx], self.v_neg[:, idx] = other.v_pos, other.v_neg


@dataclass(frozen=True)
class GDResult:
    weights: Weights
    steps: NDArray[np.int64]  # steps taken per column
    status: NDArray[np.int64]  # dln.status.Status: CONVERGED, STALLED (step cap reached) or DIVERGED
    train_mse: Array
    min_eval_loss: Array  # min over checkpoints of ||beta_eval - eval_star||^2 (incl. start and end)
    final_eval_loss: Array


def train_gd(
    tasks: list[Task],
    init: Weights,
    lr: float,
    max_steps: int | NDArray[np.int64],
    threshold: float,
    eval_task: int,
    check_every: int = 50,
    train_first_layer: bool = True,
) -> GDResult:
    """Full-batch GD on the mean loss over all tasks' samples, each column until MSE < threshold or the cap.

    Per step: each task's gradient through BLAS (`GramTask` / `PoolTask`), then one compiled pass
    (`dln.multitask.update.gd_update`) that updates the weights and the coefficient errors delta.
    """
    C = init.w_pos.shape[0]
    caps = np.broadcast_to(np.asarray(max_steps, dtype=np.int64), (C,)).copy()
    out = Weights(init.w_pos.copy(), init.w_neg.copy(), init.v_pos.copy(), init.v_neg.copy())
    steps = caps.copy()
    status = np.full(C, Status.STALLED, dtype=np.int64)
    train_mse = np.full(C, np.nan)
    eval_star = tasks[eval_task].beta_star.copy()
    min_eval = np.full(C, np.inf)

    live = np.arange(C)
    cur = out.take(live)
    cur_tasks = list(tasks)
    stars = np.stack([t.beta_star for t in tasks]).astype(np.float64)  # (T, C, D)
    delta = cur.betas() - stars  # beta_t - beta*_t, kept up to date by gd_update
    grads = np.empty_like(delta)
    total = np.sum([t.counts() for t in cur_tasks], axis=0).astype(float)
    active = np.ones(C, dtype=bool)

    cap = caps.copy()
    finished = np.zeros(C, dtype=bool)
    with Progress(caps, f"gd x{C}", None) as bar:  # ETA in the rule's log; never changes results
        for step in range(int(caps.max()) + 1):
            sse = np.zeros(live.size)
            for t, task in enumerate(cur_tasks):
                sse += task.grad_sse(delta[t], grads[t])
            mse = sse / total
            bad = ~np.isfinite(mse) | (mse > DIVERGENCE_LOSS)
            newly = active & ((mse < threshold) | bad | (step == cap))
            if newly.any():
                rows = live[newly]
                steps[rows] = step
                train_mse[rows] = mse[newly]
                status[rows] = np.where(
                    mse[newly] < threshold,
                    Status.CONVERGED,
                    np.where(bad[newly], Status.DIVERGED, Status.STALLED),
                )
                finished[rows] = True
                active[newly] = False
            if step % check_every == 0:
                bar.update(np.minimum(step, caps), finished)
            if step % check_every == 0 or newly.any():
                sel = np.flatnonzero((step % check_every == 0) | newly)
                sel = sel[np.isfinite(mse[sel])]
                err = delta[eval_task, sel]
                min_eval[live[sel]] = np.minimum(min_eval[live[sel]], np.einsum("cd,cd->c", err, err))
            if not active.all() and (step % check_every == 0 or not active.any()):
                done = np.flatnonzero(~active)
                out.put(live[done], cur.take(done))
                keep = np.flatnonzero(active)
                live, cur = live[keep], cur.take(keep)
                cur_tasks = [t.subset(keep) for t in cur_tasks]
                stars, delta, grads = stars[:, keep], delta[:, keep], grads[:, keep]
                total, active, cap = total[keep], active[keep], cap[keep]
                if live.size == 0:
                    break
            scale = 2.0 * lr / total * active
            gd_update(cur.w_pos, cur.w_neg, cur.v_pos, cur.v_neg, grads, scale, stars, delta, train_first_layer)
    final = out.betas()[eval_task] - eval_star
    return GDResult(out, steps, status, train_mse, min_eval, np.einsum("cd,cd->c", final, final))
