"""The paper's experiments for one seed: teachers, single-task methods (exact limits or GD) and batched MTL GD.

A seed's draw (permutation, signs, X_aux and a nested pool of main inputs) is shared by every method and
teacher of that seed (the paper re-seeds identically before pretraining and finetuning). Teachers:
* overlap experiment: k_main = k_aux, ``overlap`` shared features, magnitude 1/sqrt(k_main);
* sparse experiment: k_main in a list, overlap 'yes' (main support = first k_main aux features) or 'no'
  (disjoint), magnitude 1/k_main.
The auxiliary teacher is s / sqrt(k_aux) for pretraining (so for every PT+FT and LP run) and for the MTL runs of the
overlap experiment. The MTL runs of the sparse experiment (Fig 2a, 3b, S9a) use ``common.sparse_mtl_aux``: 'linear'
(s / k_aux) is what the authors' published runs used; their code of that time scaled both teachers of a run by
1 / k (their current `sample_two_teachers` says 1/sqrt(k) for both). `tools/authors_code_check.py` reproduces their
published MTL losses of seed 0 to 4 digits with s / k_aux and not with s / sqrt(k_aux) (16x off at k = 5, n = 64).
Deviation from the paper (documented): one nested pool X_main[:n] per seed instead of a fresh draw per n.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from dln.multitask import exact, teachers
from dln.multitask.metrics import population_loss
from dln.multitask.training import GDResult, GramTask, PoolTask, SymmetricGramTask, Weights, train_gd
from dln.seeds import run_rng
from dln.status import Status

Array = NDArray[np.float64]
UID_DATA = 500
OVERLAP_EXP, SPARSE_EXP = 0, 1


@dataclass(frozen=True)
class Teachers:
    """The teacher grid: experiment id, number of main features, overlap, magnitude per feature, and the magnitude
    per feature of the auxiliary teacher that MTL trains on beside it."""

    experiment: NDArray[np.int64]
    k_main: NDArray[np.int64]
    overlap: NDArray[np.int64]
    magnitude: Array
    aux_magnitude: Array

    @property
    def size(self) -> int:
        return int(self.k_main.size)


def sparse_mtl_aux_magnitude(spec: Mapping[str, Any]) -> float:
    """|beta_aux,i| of the MTL runs of the sparse experiment: ``sparse_mtl_aux`` 'linear' 1/k_aux (the authors'
    published runs, the default) or 'sqrt' 1/sqrt(k_aux) (their current code)."""
    return teachers.main_magnitude(int(spec["k_aux"]), str(spec.get("sparse_mtl_aux", "linear")))


def teacher_grid(spec: Mapping[str, Any]) -> Teachers:
    """Overlap experiment (k_main = k_aux, overlaps list) then sparse experiment (k list x overlap yes/no)."""
    k1 = int(spec["k_aux"])
    aux_overlap, aux_sparse = teachers.main_magnitude(k1, "sqrt"), sparse_mtl_aux_magnitude(spec)
    rows = [(OVERLAP_EXP, k1, int(o), teachers.main_magnitude(k1, "sqrt"), aux_overlap) for o in spec["overlaps"]]
    for k in spec["k_main"]:
        for o in (int(k), 0):
            rows.append((SPARSE_EXP, int(k), o, teachers.main_magnitude(int(k), "linear"), aux_sparse))
    exps, ks, overlaps, mags, aux = zip(*rows, strict=True)
    return Teachers(
        np.array(exps), np.array(ks), np.array(overlaps), np.array(mags, dtype=float), np.array(aux, dtype=float)
    )


def nested_grid(spec: Mapping[str, Any]) -> Teachers:
    """Nested experiment (Fig 3b/3c): sparse teachers on the first k_main auxiliary features, magnitude 1/k."""
    ks = [int(k) for k in spec["k_main"]]
    magnitudes = [teachers.main_magnitude(k, "linear") for k in ks]
    aux = np.full(len(ks), sparse_mtl_aux_magnitude(spec))
    return Teachers(np.full(len(ks), SPARSE_EXP), np.array(ks), np.array(ks), np.array(magnitudes, dtype=float), aux)


def seed_draw(spec: Mapping[str, Any], seed: int, repeat: int) -> teachers.Draw:
    rng = run_rng(seed, UID_DATA, {"role": "draw"}, repeat)
    return teachers.draw(rng, int(spec["d"]), int(spec["k_aux"]), int(spec["n_aux"]), max(spec["n_main"]))


def main_teachers(dr: teachers.Draw, spec: Mapping[str, Any], grid: Teachers) -> Array:
    d = int(spec["d"])
    return np.stack(
        [
            teachers.main_teacher(dr, d, int(k), int(o), float(m))
            for k, o, m in zip(grid.k_main, grid.overlap, grid.magnitude, strict=True)
        ]
    )


@dataclass(frozen=True)
class FirstLayer:
    """The pretrained first layer (w+, w-) of one seed, with how it was reached (steps 0: closed form)."""

    w_pos: Array
    w_neg: Array
    steps: int
    train_mse: float


def pretrained_first_layer(dr: teachers.Draw, spec: Mapping[str, Any]) -> FirstLayer:
    """Pretraining on the auxiliary task, from every weight = alpha.

    ``pretrain_steps: 0``: the gradient-flow closed form reached when beta_aux is recovered exactly (n_aux >= D,
    `teachers.pretrained_weights`). ``pretrain_steps: T > 0``: the authors' protocol, full-batch GD at
    ``lr_pretrain`` (their 0.5) until the train MSE is below ``threshold`` or T steps (their 1e6). With
    n_aux close to D the auxiliary Gram matrix is ill-conditioned and their pretraining ends at the cap short of
    the closed form (train MSE about 3e-10), which moves PT+FT (issue 12: up to 2x; README).
    """
    alpha, d = float(spec["alpha"]), int(spec["d"])
    beta_aux = teachers.aux_teacher(dr, d)
    steps = int(spec["pretrain_steps"])
    if steps == 0:
        w_pos, w_neg = teachers.pretrained_weights(beta_aux, alpha)
        return FirstLayer(w_pos, w_neg, 0, 0.0)
    a = np.full((1, d), alpha)
    init = Weights(a.copy(), a.copy(), a[None].copy(), a[None].copy())
    task = SymmetricGramTask(dr.X_aux.T @ dr.X_aux, beta_aux[None], int(spec["n_aux"]))
    res = train_gd([task], init, float(spec["lr_pretrain"]), steps, float(spec["threshold"]), 0)
    return FirstLayer(res.weights.w_pos[0], res.weights.w_neg[0], int(res.steps[0]), float(res.train_mse[0]))


def pretrain_key(spec: Mapping[str, Any], seed: int) -> Array:
    """Everything a seed's pretrained first layer depends on besides the data seed: root seed, the draw's sizes
    (d, k_aux, n_aux, pool rows) and the pretraining protocol (alpha, steps, lr, threshold). A simulation uses
    the layers of the `pretrain` simulation only when its own key equals the one they were made with."""
    keys = (seed, spec["d"], spec["k_aux"], spec["n_aux"], max(spec["n_main"]), spec["alpha"])
    protocol = (spec["pretrain_steps"], spec["lr_pretrain"], spec["threshold"])
    return np.array([float(v) for v in keys + protocol])


@dataclass(frozen=True)
class SharedLayers:
    """First layers pretrained once per data seed by the `pretrain` simulation (its arrays; None: none given).

    `get` returns a seed's shared layer when the arrays were made for this spec and root seed and hold that seed,
    and otherwise pretrains it here (`pretrained_first_layer`): the result is the same either way, only the cost
    differs (GD pretraining to the authors' 1e6-step cap is minutes per seed)."""

    arrays: Mapping[str, Array] | None = None

    def get(self, dr: teachers.Draw, spec: Mapping[str, Any], seed: int, s: int) -> FirstLayer:
        a = self.arrays
        if a is not None and s < len(a["steps"]) and np.array_equal(a["key"], pretrain_key(spec, seed)):
            return FirstLayer(
                np.array(a["w_pos"][s]), np.array(a["w_neg"][s]), int(a["steps"][s]), float(a["train_mse"][s])
            )
        return pretrained_first_layer(dr, spec)


def pretrained_init(first: FirstLayer, spec: Mapping[str, Any], c: float) -> exact.Init:
    """PT+FT start: the pretrained first layer times c, readout reset to gamma = c alpha."""
    alpha = float(spec["alpha"])
    return exact.ptft_init(first.w_pos, first.w_neg, c, c * alpha)


def lp_caps(spec: Mapping[str, Any], grid: Teachers) -> NDArray[np.int64]:
    """Linear-probe step caps per teacher: the authors' epoch caps, 1e6 in the overlap experiment and 1e5 in the
    sparse one (their array scripts). LP is the only method whose loss still moves at those caps (its frozen first
    layer makes it slow), so it must be run to the paper's cap, not a common one."""
    caps = np.where(grid.experiment == OVERLAP_EXP, int(spec["max_steps_lp_overlap"]), int(spec["max_steps_lp_sparse"]))
    return caps.astype(np.int64)


def single_task_weights(starts: Sequence[exact.Init]) -> Weights:
    """The single-task networks ``starts`` as the columns of one batched `train_gd` run (T = 1 readout)."""
    return Weights(
        np.stack([i.w_pos for i in starts]),
        np.stack([i.w_neg for i in starts]),
        np.stack([i.v_pos for i in starts])[None],
        np.stack([i.v_neg for i in starts])[None],
    )


def single_task_gd(
    spec: Mapping[str, Any],
    dr: teachers.Draw,
    betas: Array,
    inits: Mapping[str, exact.Init],
    caps: NDArray[np.int64],
) -> tuple[list[tuple[str, int, int]], GDResult]:
    """The authors' protocol for STL and PT+FT: full-batch GD at ``lr`` from each method's start until the train
    MSE is below ``threshold`` or the teacher's cap ``caps[t]`` (teachers with cap 0 are left out), every
    (method, teacher, n) one column of one batched run. Returns the columns as (method, teacher, n index), in
    the result's order.

    Why: where GD stops at its cap, or stops at the threshold before the path has settled, its loss is not the
    gradient-flow limit (issue 12: at the sparse experiment's 1e5 cap, up to 4x above it at n = 512, and more in
    the PT+FT c < 1 cells near the recovery threshold)."""
    ns = np.asarray(spec["n_main"], dtype=np.int64)
    cols = [(name, int(t), j) for name in inits for t in np.flatnonzero(caps > 0) for j in range(ns.size)]
    weights = single_task_weights([inits[name] for name, _, _ in cols])
    task = PoolTask(dr.X_main, ns[[j for *_, j in cols]], betas[[t for _, t, _ in cols]])
    col_caps = caps[[t for _, t, _ in cols]]
    lr, threshold, check_every = float(spec["lr"]), float(spec["threshold"]), int(spec["check_every"])
    return cols, train_gd([task], weights, lr, col_caps, threshold, 0, check_every)


def single_task_seed(
    spec: Mapping[str, Any],
    dr: teachers.Draw,
    betas: Array,
    probe_caps: NDArray[np.int64],
    first: FirstLayer | None = None,
    gd_caps: NDArray[np.int64] | None = None,
) -> dict[str, Array]:
    """STL, PT+FT (every c) and LP (PT+FT and STL first layers) for every teacher and n of one seed.

    ``probe_caps``: the LP step cap of each teacher (`lp_caps`); ``first``: the seed's pretrained first layer
    (None: pretrained here); ``gd_caps``: per teacher, the GD step cap of STL and PT+FT (`single_task_gd`),
    0 (or None for all) where they take the exact gradient-flow limit instead.

    Returns arrays (teachers, n): for every method the final loss and the minimum over checkpoints, and for STL
    and PT+FT also the exact limit's loss (``limit``), GD's steps (0: the limit, not trained) and status. The
    minimum is exact for LP (its GD path has a closed form: `exact.linear_probe`) and for GD-trained cells, and
    min(loss at the start, limit) for the others (only their limit is known).
    """
    d, alpha, lr = int(spec["d"]), float(spec["alpha"]), float(spec["lr"])
    threshold, check_every = float(spec["threshold"]), int(spec["check_every"])
    inits = {"stl": exact.stl_init(d, alpha)}
    first = pretrained_first_layer(dr, spec) if first is None else first
    inits |= {f"ptft_c{i}": pretrained_init(first, spec, float(c)) for i, c in enumerate(spec["c"])}
    probes = {"lp_ptft": pretrained_init(first, spec, 1.0), "lp_stl": exact.stl_init(d, alpha)}
    ns = list(spec["n_main"])
    shape = (betas.shape[0], len(ns))
    out: dict[str, Array] = {}
    for name in list(inits) + list(probes):
        out[f"{name}/final"] = np.zeros(shape)
        out[f"{name}/min"] = np.zeros(shape)
    for name in inits:
        out[f"{name}/steps"] = np.zeros(shape, dtype=np.int64)
        out[f"{name}/status"] = np.full(shape, int(Status.CONVERGED), dtype=np.int64)
    for t, bstar in enumerate(betas):
        for j, n in enumerate(ns):
            X = dr.X_main[:n]
            y = X @ bstar
            for name, init in inits.items():
                beta = exact.gradient_flow_limit(X, y, init)
                start, final = population_loss(init.beta, bstar), population_loss(beta, bstar)
                out[f"{name}/final"][t, j], out[f"{name}/min"][t, j] = final, min(start, final)
            for name, init in probes.items():
                res = exact.linear_probe(X, y, init, lr, int(probe_caps[t]), threshold, bstar, check_every)
                out[f"{name}/final"][t, j], out[f"{name}/min"][t, j] = population_loss(res.beta, bstar), res.min_loss
    for name in inits:
        out[f"{name}/limit"] = out[f"{name}/final"].copy()
    if gd_caps is not None and np.any(gd_caps > 0):
        cols, gd = single_task_gd(spec, dr, betas, inits, np.asarray(gd_caps, dtype=np.int64))
        for i, (name, t, j) in enumerate(cols):
            out[f"{name}/final"][t, j], out[f"{name}/min"][t, j] = gd.final_eval_loss[i], gd.min_eval_loss[i]
            out[f"{name}/steps"][t, j], out[f"{name}/status"][t, j] = gd.steps[i], gd.status[i]
    return out


def mtl_seed(
    spec: Mapping[str, Any],
    dr: teachers.Draw,
    betas: Array,
    caps: NDArray[np.int64],
    aux_magnitude: Array | None = None,
) -> dict[str, Array]:
    """MTL by full-batch GD for every (teacher, n) of one seed as columns sharing the auxiliary data.

    ``caps``: step caps per teacher (T,) or per (teacher, n) (T, N); a cap of 0 costs nothing (column unused).
    ``aux_magnitude``: |beta_aux,i| trained beside each teacher (T,) (`Teachers.aux_magnitude`); None: 1/sqrt(k_aux).
    """
    d, alpha = int(spec["d"]), float(spec["alpha"])
    ns = np.asarray(spec["n_main"], dtype=np.int64)
    T, N = betas.shape[0], ns.size
    col_caps = np.broadcast_to(np.asarray(caps).reshape(T, -1), (T, N)).ravel()  # caps per teacher or (teacher, n)
    cols_t, cols_n = np.repeat(np.arange(T), N), np.tile(ns, T)
    C = cols_t.size
    unit_aux = teachers.aux_teacher(dr, d) * np.sqrt(dr.signs.size)  # entries s on the aux support
    aux = np.full(T, 1.0 / np.sqrt(dr.signs.size)) if aux_magnitude is None else np.asarray(aux_magnitude, float)
    tasks: list[GramTask | PoolTask] = [
        GramTask(dr.X_aux.T @ dr.X_aux, unit_aux[None, :] * aux[cols_t, None], int(spec["n_aux"])),
        PoolTask(dr.X_main, cols_n, betas[cols_t]),
    ]
    a = np.full((C, d), alpha)
    init = Weights(a.copy(), a.copy(), np.full((2, C, d), alpha), np.full((2, C, d), alpha))
    res = train_gd(
        tasks,
        init,
        float(spec["lr"]),
        col_caps,
        float(spec["threshold"]),
        eval_task=1,
        check_every=int(spec["check_every"]),
    )
    shape = (T, N)
    return {
        "mtl/final": res.final_eval_loss.reshape(shape),
        "mtl/min": res.min_eval_loss.reshape(shape),
        "mtl/steps": res.steps.reshape(shape),
        "mtl/status": res.status.reshape(shape),
        "mtl/train_mse": res.train_mse.reshape(shape),
        "mtl/beta": res.weights.betas()[1].reshape(T, N, d),
    }
