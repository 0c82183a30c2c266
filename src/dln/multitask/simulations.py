"""Simulations of the multitask family: config slice + seed -> arrays of one `.npz`.

* ``penalties``    closed-form penalty curves (Fig 1a,b) and orders vs auxiliary magnitude (Fig 3a).
* ``pretrain``     the PT first layer of every data seed, once, for `validation`, `single_task` and `nested`
                   (closed form, or GD to the authors' cap: one job per seed); each checks its key before use.
* ``validation``   GD training of STL and PT+FT configurations against their exact gradient-flow limits.
* ``single_task``  STL, PT+FT (c grid) and LP for every teacher, n and seed: exact limits, or GD at the authors'
                   cap for STL and PT+FT in the sparse experiment (``gd_steps_sparse``).
* ``mtl``          MTL by batched full-batch GD for every teacher, n and seed.
* ``nested``       Fig 3b/3c at its own (paper) sizes: STL, PT+FT and LP on every seed as in ``single_task``;
                   MTL by GD on the first ``seeds_mtl`` seeds and only at the n in ``n_mtl`` (the checks' n), so it
                   stays cheap; one workflow job per MTL seed (its cost), merged like ``mtl``'s parts.

Every `.npz` is declared below its simulate function as a `Layout` (symbolic dims: S data seeds, T teachers,
N main sample sizes, P = max n_main pool rows, d input dimension, M MTL seeds of `nested`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from threadpoolctl import threadpool_limits

from dln.contract import Arrays, Parts, Simulation, Spec, simulation_table
from dln.layout import Group, Layout, boolean, f64, i64, text
from dln.multitask import exact, penalties
from dln.multitask.experiments import (
    SPARSE_EXP,
    SharedLayers,
    lp_caps,
    main_teachers,
    mtl_seed,
    nested_grid,
    pretrain_key,
    pretrained_first_layer,
    pretrained_init,
    seed_draw,
    single_task_seed,
    single_task_weights,
    teacher_grid,
)
from dln.multitask.metrics import population_loss
from dln.multitask.teachers import Draw, aux_teacher, main_magnitude, main_teacher
from dln.multitask.training import PoolTask, train_gd

UID_PENALTIES, UID_VALIDATION, UID_SINGLE_TASK, UID_MTL, UID_NESTED = 501, 502, 503, 504, 505  # 500: data draws
UID_PRETRAIN = 507  # 506: the published-agreement seed-noise test (`published.UID_PUBLISHED`)
Needed = Mapping[str, Arrays]  # the arrays of the simulations a simulation reads (`Simulation.needs`), by name


def _shared(needed: Needed | None) -> SharedLayers:
    return SharedLayers(None if needed is None else needed.get("pretrain"))


def pretrain_part_count(spec: Spec) -> int:
    """`pretrain` runs as one workflow job per data seed when it trains by GD (minutes each), else as one."""
    return int(spec["seeds"]) if int(spec["pretrain_steps"]) > 0 else 1


def simulate_pretrain_part(spec: Spec, seed: int, part: int) -> Arrays:
    """The pretrained first layers of part ``part``'s block of data seeds (`pretrained_first_layer`)."""
    seeds = np.array_split(np.arange(int(spec["seeds"])), pretrain_part_count(spec))[part]
    with threadpool_limits(limits=1, user_api="blas"):  # one-column GD: threads only cost
        layers = [pretrained_first_layer(seed_draw(spec, seed, int(s)), spec) for s in seeds]
    return {
        "w_pos": np.stack([f.w_pos for f in layers]),
        "w_neg": np.stack([f.w_neg for f in layers]),
        "steps": np.array([f.steps for f in layers], dtype=np.int64),
        "train_mse": np.array([f.train_mse for f in layers]),
    }


def merge_pretrain(spec: Spec, seed: int, parts: list[Arrays]) -> Arrays:
    """The parts' seeds in order, with the key (`pretrain_key`) the consumers check before using them."""
    merged = {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
    return merged | {"key": pretrain_key(spec, seed)}


def simulate_pretrain(spec: Spec, seed: int) -> Arrays:
    """Pretraining on the auxiliary task, once per data seed, for every simulation that starts from its first
    layer (`single_task`, `nested`, `validation`): closed form or the authors' GD (``pretrain_steps``)."""
    count = pretrain_part_count(spec)
    return merge_pretrain(spec, seed, [simulate_pretrain_part(spec, seed, i) for i in range(count)])


def simulate_penalties(spec: Spec, seed: int) -> Arrays:
    """P_MTL and P_FT over main magnitudes for a few auxiliary magnitudes; orders at beta = 1 vs beta_aux."""
    gamma, step = float(spec["gamma"]), float(spec["fd_step"])
    lo, hi = (float(x) for x in spec["beta_log10_range"])
    beta = np.logspace(lo, hi, int(spec["points"]))
    aux = np.asarray(spec["aux_magnitudes"], dtype=float)
    lo, hi = (float(x) for x in spec["order_aux_log10_range"])
    aux_fine = np.logspace(lo, hi, int(spec["points"]))
    out: Arrays = {"beta": beta, "aux_magnitudes": aux, "gamma": np.asarray(gamma), "aux_fine": aux_fine}

    def ft(b, a):
        return penalties.p_ft(b, a, gamma)

    for name, fn in (("mtl", penalties.p_mtl), ("ft", ft)):
        out[f"{name}/penalty"] = fn(beta[None, :], aux[:, None])
        out[f"{name}/slope"] = penalties.log_derivatives(fn, beta[None, :], aux[:, None], step)[0]
        out[f"{name}/penalty_vs_aux"] = fn(beta[:, None], aux_fine[None, :])  # (beta, aux_fine)
    one = np.ones_like(aux_fine)
    for name, fn in (("mtl", penalties.p_mtl), ("ft", penalties.p_ft)):  # Fig 3a: gamma = 0
        order, dep = penalties.log_derivatives(fn, one, aux_fine, step)
        out[f"{name}/order"], out[f"{name}/dependence"] = order, dep
    out["mtl/order_exact"] = penalties.order_mtl(one, aux_fine)
    out["ft/order_exact"] = penalties.order_ft(one, aux_fine)
    return out


def simulate_validation(spec: Spec, seed: int, needed: Needed | None = None) -> Arrays:
    """GD (the paper's protocol) vs exact limits for STL and PT+FT (c list) on sparse teachers, overlap yes/no.
    ``needed``: the `pretrain` arrays (None: pretrain here)."""
    shared = _shared(needed)
    d, k, alpha = int(spec["d"]), int(spec["k_validate"]), float(spec["alpha"])
    ns, cs = list(spec["n_validate"]), [float(c) for c in spec["c_validate"]]
    out: dict[str, list] = {key: [] for key in ("seed", "method", "c", "overlap", "n", "pred", "gd", "baseline")}
    out |= {"max_beta_gap": [], "teacher_max": [], "steps": [], "status": [], "gd_min": []}
    with threadpool_limits(limits=1, user_api="blas"):  # small-matrix GD loops: threads only cost
        for s in range(int(spec["seeds_validate"])):
            dr = seed_draw(spec, seed, s)
            first = shared.get(dr, spec, seed, s)
            for o in (k, 0):
                bstar = main_teacher(dr, d, k, o, main_magnitude(k, "linear"))
                n0 = min(spec["n_main"])
                base = population_loss(
                    exact.gradient_flow_limit(dr.X_main[:n0], dr.X_main[:n0] @ bstar, exact.stl_init(d, alpha)), bstar
                )
                inits = [("stl", 0.0, exact.stl_init(d, alpha))] + [
                    ("ptft", c, pretrained_init(first, spec, c)) for c in cs
                ]
                cols = [(m, c, init, n) for m, c, init in inits for n in ns]
                w = single_task_weights([i for _, _, i, _ in cols])
                n_rows = np.array([n for *_, n in cols])
                task = PoolTask(dr.X_main, n_rows, np.tile(bstar, (len(cols), 1)))
                res = train_gd(
                    [task], w, float(spec["lr"]), int(spec["max_steps_validate"]), float(spec["threshold"]), 0
                )
                beta_gd = res.weights.betas()[0]
                for i, (m, c, init, n) in enumerate(cols):
                    X = dr.X_main[:n]
                    pred = exact.gradient_flow_limit(X, X @ bstar, init)
                    out["seed"].append(s)
                    out["method"].append(0 if m == "stl" else 1)
                    out["c"].append(c)
                    out["overlap"].append(o)
                    out["n"].append(n)
                    out["pred"].append(population_loss(pred, bstar))
                    out["gd"].append(res.final_eval_loss[i])
                    out["gd_min"].append(res.min_eval_loss[i])
                    out["baseline"].append(base)
                    out["max_beta_gap"].append(np.max(np.abs(beta_gd[i] - pred)))
                    out["teacher_max"].append(np.max(np.abs(bstar)))
                    out["steps"].append(res.steps[i])
                    out["status"].append(res.status[i])
    return {key: np.asarray(v) for key, v in out.items()} | {"method_names": np.array(["stl", "ptft"])}


def _grid_arrays(spec: Spec) -> Arrays:
    grid = teacher_grid(spec)
    return {
        "teacher/experiment": grid.experiment,
        "teacher/k_main": grid.k_main,
        "teacher/overlap": grid.overlap,
        "teacher/magnitude": grid.magnitude,
        "teacher/aux_magnitude": grid.aux_magnitude,
        "n_main": np.asarray(spec["n_main"]),
    }


def _stack_seeds(per_seed: list[dict[str, np.ndarray]]) -> Arrays:
    return {key: np.stack([p[key] for p in per_seed]) for key in per_seed[0]}


def _seed_data(spec: Spec, dr: Draw, betas: np.ndarray) -> Arrays:
    """One data seed's teachers and main-task inputs, as saved next to its results."""
    return {"beta_main": betas, "beta_aux": aux_teacher(dr, int(spec["d"])), "X_main": dr.X_main}


def gd_caps(spec: Spec, grid) -> np.ndarray:
    """GD step cap of STL and PT+FT per teacher (0: the exact gradient-flow limit): ``gd_steps_sparse`` on the
    sparse experiment's teachers, 0 on the overlap experiment's (GD at its 1e6 cap is within 2-6 % of the limit:
    `validation`, README protocol table)."""
    return np.where(grid.experiment == SPARSE_EXP, int(spec["gd_steps_sparse"]), 0).astype(np.int64)


def _single_task_gd_caps(spec: Spec) -> np.ndarray:
    """`gd_caps` for `single_task`, without the teachers only `nested` reads (trained there; their rows here keep
    the exact limit, which no reader of `single_task` uses)."""
    grid = teacher_grid(spec)
    return np.where(_nested_only(grid), 0, gd_caps(spec, grid))


def single_task_part_count(spec: Spec) -> int:
    """`single_task` runs as one workflow job per data seed when it trains STL and PT+FT by GD (minutes per seed
    at paper scale), else as one (exact limits: seconds)."""
    return int(spec["seeds"]) if int(spec["gd_steps_sparse"]) > 0 else 1


def simulate_single_task_part(spec: Spec, seed: int, part: int, needed: Needed | None = None) -> Arrays:
    """Part ``part`` of `single_task`: its block of data seeds (s T N), each computed as in one process."""
    seeds = [int(s) for s in np.array_split(np.arange(int(spec["seeds"])), single_task_part_count(spec))[part]]
    grid, shared = teacher_grid(spec), _shared(needed)
    draws = [seed_draw(spec, seed, s) for s in seeds]
    betas = [main_teachers(dr, spec, grid) for dr in draws]
    with threadpool_limits(limits=1, user_api="blas"):  # small-matrix GD loops: threads only cost
        caps, steps = lp_caps(spec, grid), _single_task_gd_caps(spec)
        per_seed = [
            single_task_seed(spec, dr, b, caps, shared.get(dr, spec, seed, s), steps)
            for s, dr, b in zip(seeds, draws, betas, strict=True)
        ]
    data = _stack_seeds([_seed_data(spec, dr, b) for dr, b in zip(draws, betas, strict=True)])
    return data | _stack_seeds(per_seed) | {"c": np.asarray(spec["c"], dtype=float)}


def merge_single_task(spec: Spec, seed: int, parts: list[Arrays]) -> Arrays:
    """The parts' seeds in order, with the teacher grid."""
    merged = {key: np.concatenate([p[key] for p in parts]) for key in parts[0] if key != "c"}
    return _grid_arrays(spec) | merged | {"c": np.asarray(spec["c"], dtype=float)}


def simulate_single_task(spec: Spec, seed: int, needed: Needed | None = None) -> Arrays:
    """STL, PT+FT and LP losses, arrays (seeds, teachers, n). ``needed``: the `pretrain` arrays. All parts in one
    process; the workflow runs one job per part (`single_task_part_count`) and merges them."""
    count = single_task_part_count(spec)
    return merge_single_task(spec, seed, [simulate_single_task_part(spec, seed, i, needed) for i in range(count)])


def mtl_seed_count(spec: Spec) -> int:
    """The `mtl` simulation runs as one workflow job per data seed."""
    return int(spec["seeds"])


def _mtl_caps(spec: Spec) -> np.ndarray:
    """Step caps per teacher: the overlap and the sparse experiments' caps; 0 (not trained) for the teachers
    only Fig 3b/3c reads, which has its own simulation (`nested`)."""
    grid = teacher_grid(spec)
    caps = np.where(grid.experiment == SPARSE_EXP, int(spec["max_steps_sparse"]), int(spec["max_steps_overlap"]))
    return np.where(_nested_only(grid), 0, caps)


def simulate_mtl_seed(spec: Spec, seed: int, s: int) -> Arrays:
    """MTL GD losses (teachers, n) of data seed ``s``, with its data and its STL baselines."""
    dr = seed_draw(spec, seed, s)
    betas = main_teachers(dr, spec, teacher_grid(spec))
    with threadpool_limits(limits=1, user_api="blas"):  # small-matrix GD loops: threads only cost
        arrays = mtl_seed(spec, dr, betas, _mtl_caps(spec), teacher_grid(spec).aux_magnitude)
    return arrays | _seed_data(spec, dr, betas) | {"stl_baseline": _stl_baseline(spec, dr, betas)}


def merge_mtl(spec: Spec, seed: int, per_seed: list[Arrays]) -> Arrays:
    """Stack the seeds' arrays (seeds, teachers, n); rows of untrained teachers (cap 0) are NaN."""
    caps = _mtl_caps(spec)
    stacked = _stack_seeds(per_seed)
    for key in ("mtl/final", "mtl/min", "mtl/train_mse"):
        stacked[key][:, caps == 0] = np.nan
    return _grid_arrays(spec) | stacked | {"caps": caps}


def simulate_mtl(spec: Spec, seed: int) -> Arrays:
    """MTL GD losses (seeds, teachers, n) with the overlap experiment's and the sparse experiment's step caps
    (all seeds in one process; the workflow runs one job per seed and merges them)."""
    return merge_mtl(spec, seed, [simulate_mtl_seed(spec, seed, s) for s in range(mtl_seed_count(spec))])


def _nested_only(grid) -> np.ndarray:
    """Teachers only the nested experiment reads: inside the aux support with k above the smallest k
    (Supp. Fig 9a reads the smallest k inside and outside; Fig 2a the outside rows; Fig 2c/e the overlap rows)."""
    sparse = grid.experiment == SPARSE_EXP
    k_min = grid.k_main[sparse].min()
    return sparse & (grid.overlap == grid.k_main) & (grid.k_main > k_min)


def _stl_baseline(spec: Spec, dr, betas: np.ndarray) -> np.ndarray:
    """STL exact loss at the smallest n per teacher (the relative-loss baseline, so `mtl` stands alone)."""
    n0 = min(spec["n_main"])
    X = dr.X_main[:n0]
    init = exact.stl_init(int(spec["d"]), float(spec["alpha"]))
    return np.array([population_loss(exact.gradient_flow_limit(X, X @ b, init), b) for b in betas])


def nested_part_count(spec: Spec) -> int:
    """`nested` runs as one workflow job per MTL seed (MTL is its cost; the schema keeps 2 <= seeds_mtl <= seeds)."""
    return int(spec["seeds_mtl"])


def _nested_blocks(spec: Spec) -> list[np.ndarray]:
    """The single-task seeds of each part: contiguous blocks, in order (part i also trains MTL seed i)."""
    return np.array_split(np.arange(int(spec["seeds"])), nested_part_count(spec))


def _nested_mtl_caps(spec: Spec, grid) -> tuple[np.ndarray, np.ndarray]:
    """Which n of ``n_main`` MTL trains (N,) and the MTL step cap per (teacher, n) (T, N), 0 where not trained."""
    trained = np.isin(np.asarray(spec["n_main"]), np.asarray(spec["n_mtl"]))
    caps = np.where(trained[None, :], int(spec["max_steps_mtl"]), 0) * np.ones((grid.size, 1), dtype=np.int64)
    return trained, caps


def simulate_nested_part(spec: Spec, seed: int, part: int, needed: Needed | None = None) -> Arrays:
    """Part ``part`` of `nested`: single-task methods on its block of seeds (s T N) and MTL on seed ``part``
    (1 T N). Every seed's arrays are computed as in one process, so the merged file does not depend on the split.
    ``needed``: the `pretrain` arrays (None: pretrain here)."""
    shared = _shared(needed)
    grid = nested_grid(spec)
    seeds = [int(s) for s in _nested_blocks(spec)[part]]
    draws = {s: seed_draw(spec, seed, s) for s in sorted(set(seeds) | {part})}
    betas = {s: main_teachers(dr, spec, grid) for s, dr in draws.items()}
    trained, caps = _nested_mtl_caps(spec, grid)
    with threadpool_limits(limits=1, user_api="blas"):  # small-matrix GD loops: threads only cost
        probe_caps, steps = lp_caps(spec, grid), gd_caps(spec, grid)
        single = [
            single_task_seed(spec, draws[s], betas[s], probe_caps, shared.get(draws[s], spec, seed, s), steps)
            for s in seeds
        ]
        mtl = mtl_seed(spec, draws[part], betas[part], caps, grid.aux_magnitude)
    data = {
        "beta_main": np.stack([betas[s] for s in seeds]),
        "beta_aux": np.stack([aux_teacher(draws[s], int(spec["d"])) for s in seeds]),
    }
    return data | _stack_seeds(single) | _stack_seeds([mtl]) | {"c": np.asarray(spec["c"], dtype=float)}


def merge_nested(spec: Spec, seed: int, parts: list[Arrays]) -> Arrays:
    """Concatenate the parts' seeds in order; MTL entries at an n outside ``n_mtl`` are NaN (not trained)."""
    grid = nested_grid(spec)
    ns = np.asarray(spec["n_main"])
    trained, caps = _nested_mtl_caps(spec, grid)
    merged = {key: np.concatenate([p[key] for p in parts]) for key in parts[0] if key != "c"}
    for key in ("mtl/final", "mtl/min", "mtl/train_mse"):
        merged[key][:, :, ~trained] = np.nan
    grid_arrays = {
        "teacher/experiment": grid.experiment,
        "teacher/k_main": grid.k_main,
        "teacher/overlap": grid.overlap,
        "teacher/magnitude": grid.magnitude,
        "teacher/aux_magnitude": grid.aux_magnitude,
        "n_main": ns,
        "c": np.asarray(spec["c"], dtype=float),
        "mtl_trained_n": trained,
        "caps": caps,
    }
    return grid_arrays | merged


def simulate_nested(spec: Spec, seed: int, needed: Needed | None = None) -> Arrays:
    """Nested experiment: single-task methods (seeds, teachers, n) and MTL (seeds_mtl, teachers, n).

    MTL entries at an n outside ``n_mtl`` are NaN (not trained: cap 0). The MTL seeds are the first
    ``seeds_mtl`` of the single-task seeds, so their relative losses use the same STL baselines. All parts in
    one process; the workflow runs one job per part (`nested_part_count`) and merges them.
    """
    count = nested_part_count(spec)
    return merge_nested(spec, seed, [simulate_nested_part(spec, seed, i, needed) for i in range(count)])


# ------------------------------------------------------------------------------------------------ layouts
def _curve_layout(which: str) -> Layout:
    """One penalty's Fig 1 curves (A auxiliary magnitudes x B main magnitudes) and Fig 3a orders (F points)."""
    return Layout(
        f64("penalty", "A B", "penalty per main magnitude, one row per auxiliary magnitude"),
        f64("slope", "A B", "log-log slope d ln P / d ln |beta| (finite differences)"),
        f64("penalty_vs_aux", "B F", "penalty over the fine auxiliary grid (monotonicity check)"),
        f64("order", "F", "order d ln P / d ln |beta| at beta = 1, gamma = 0 (finite differences)"),
        f64("dependence", "F", "feature dependence d ln P / d ln |beta_aux| at beta = 1, gamma = 0"),
        f64("order_exact", "F", "closed-form order"),
    ).under(which)


PENALTIES = Layout(
    f64("beta", "B", "main-task magnitudes |beta| (Fig 1)"),
    f64("aux_magnitudes", "A", "auxiliary magnitudes of the Fig 1 curves"),
    f64("gamma", "", "readout re-initialisation in P_FT of Fig 1b"),
    f64("aux_fine", "F", "auxiliary magnitudes of Fig 3a"),
    _curve_layout("mtl"),
    _curve_layout("ft"),
)

VALIDATION = Layout(
    i64("seed", "V", "data seed of each sampled configuration"),
    i64("method", "V", "0 STL, 1 PT+FT (method_names)"),
    text("method_names", "2", "names of the method codes"),
    f64("c", "V", "PT+FT rescaling (0 for STL)"),
    i64("overlap", "V", "shared features of the sparse teacher (k_validate or 0)"),
    i64("n", "V", "main-task samples"),
    f64("pred", "V", "population loss of the exact gradient-flow limit"),
    f64("gd", "V", "population loss of GD (final)"),
    f64("gd_min", "V", "population loss of GD (minimum over checkpoints)"),
    f64("baseline", "V", "STL exact loss at the smallest n of the seed and teacher"),
    f64("max_beta_gap", "V", "max_i |beta_GD - beta_pred|"),
    f64("teacher_max", "V", "max_i |beta*_i|"),
    i64("steps", "V", "GD steps taken"),
    i64("status", "V", "dln.status.Status of the GD run"),
)


def _teacher_grid_layout() -> Layout:
    return Layout(
        i64("teacher/experiment", "T", "0 overlap experiment, 1 sparse experiment"),
        i64("teacher/k_main", "T", "main-task features"),
        i64("teacher/overlap", "T", "features shared with the auxiliary teacher"),
        f64("teacher/magnitude", "T", "|beta_main,i| on its support"),
        f64(
            "teacher/aux_magnitude",
            "T",
            "|beta_aux,i| of the auxiliary teacher MTL trains beside it (PT: 1/sqrt(k_aux))",
        ),
        i64("n_main", "N", "main-task sample sizes (doubling; position i stands for the paper's 16 * 2^i)"),
    )


def _losses(seeds: str) -> Layout:
    """Population losses of one method per (seed, teacher, n): final, and minimum over checkpoints."""
    return Layout(
        f64("final", f"{seeds} T N", "population loss at the end of training"),
        f64("min", f"{seeds} T N", "minimum over checkpoints (exact for LP and GD; limits: min(start, final))"),
    )


def _trained_losses(seeds: str) -> Layout:
    """`_losses` of STL or PT+FT, with the exact limit and how GD ended where it trained the cell."""
    return Layout(
        _losses(seeds),
        f64("limit", f"{seeds} T N", "population loss of the exact gradient-flow limit"),
        i64("steps", f"{seeds} T N", "GD steps taken (0: not trained, final = limit)"),
        i64("status", f"{seeds} T N", "dln.status.Status of the GD run (0 where not trained)"),
    )


def _single_task_methods(seeds: str) -> Layout:
    """STL, PT+FT (one group instance per rescaling c) and linear probing, per (seed, teacher, n)."""
    return Layout(
        _trained_losses(seeds).under("stl"),
        Group("ptft", "ptft_c{}", _trained_losses(seeds), "PT+FT with the rescaling c[i] of the first layer"),
        _losses(seeds).under("lp_ptft"),
        _losses(seeds).under("lp_stl"),
        f64("c", "C", "PT+FT rescalings (c[0] = 1)"),
    )


def _mtl_runs(cells: str) -> Layout:
    """MTL GD results per cell (``cells`` like "S T N")."""
    return Layout(
        f64("final", cells, "main-task population loss at the end of training (NaN: not trained)"),
        f64("min", cells, "main-task population loss, minimum over checkpoints (NaN: not trained)"),
        i64("steps", cells, "GD steps taken"),
        i64("status", cells, "dln.status.Status of the run"),
        f64("train_mse", cells, "train MSE at the end (NaN: not trained)"),
        f64("beta", f"{cells} d", "final main-task coefficients"),
    ).under("mtl")


def _seed_data_layout(seeds: str) -> Layout:
    lead = f"{seeds} " if seeds else ""
    return Layout(
        f64("X_main", f"{lead}P d", "main-task input pool (X_main[:n] for sample size n)"),
        f64("beta_aux", f"{lead}d", "auxiliary teacher"),
        f64("beta_main", f"{lead}T d", "main teachers"),
    )


SINGLE_TASK = Layout(_teacher_grid_layout(), _seed_data_layout("S"), _single_task_methods("S"))

SINGLE_TASK_PART = Layout(_seed_data_layout("S"), _single_task_methods("S"))

MTL_PART = Layout(
    _seed_data_layout(""),
    _mtl_runs("T N"),
    f64("stl_baseline", "T", "STL exact loss at the smallest n (relative-loss baseline)"),
)

MTL = Layout(
    _teacher_grid_layout(),
    _seed_data_layout("S"),
    _mtl_runs("S T N"),
    f64("stl_baseline", "S T", "STL exact loss at the smallest n (relative-loss baseline)"),
    i64("caps", "T", "MTL step cap per teacher (0: not trained, read only by `nested`)"),
)

NESTED = Layout(
    _teacher_grid_layout(),
    f64("beta_aux", "S d", "auxiliary teacher"),
    f64("beta_main", "S T d", "main teachers"),
    _single_task_methods("S"),
    _mtl_runs("M T N"),
    boolean("mtl_trained_n", "N", "sample sizes at which MTL is trained (n_mtl)"),
    i64("caps", "T N", "MTL step cap per (teacher, n) (0: not trained)"),
)

NESTED_PART = Layout(
    f64("beta_aux", "S d", "auxiliary teacher of each single-task seed of the part"),
    f64("beta_main", "S T d", "main teachers of each single-task seed of the part"),
    _single_task_methods("S"),
    _mtl_runs("M T N"),
)

PRETRAIN_PART = Layout(
    f64("w_pos", "S d", "pretrained first layer w+ of each data seed"),
    f64("w_neg", "S d", "pretrained first layer w- of each data seed"),
    i64("steps", "S", "GD pretraining steps taken (0: closed form)"),
    f64("train_mse", "S", "auxiliary train MSE at the end of pretraining (0: closed form)"),
)

PRETRAIN = Layout(PRETRAIN_PART, f64("key", "K", "what the layers depend on (`pretrain_key`), checked by each reader"))

SIMULATIONS = simulation_table(
    Simulation(
        "penalties",
        UID_PENALTIES,
        simulate_penalties,
        PENALTIES,
        "P_MTL, P_FT, their slopes and orders (closed form)",
    ),
    Simulation(
        "pretrain",
        UID_PRETRAIN,
        simulate_pretrain,
        PRETRAIN,
        "PT first layers, once per data seed (closed form or the authors' GD)",
        parts=Parts(pretrain_part_count, simulate_pretrain_part, merge_pretrain, PRETRAIN_PART),
    ),
    Simulation(
        "validation",
        UID_VALIDATION,
        simulate_validation,
        VALIDATION,
        "GD vs exact limits for STL and PT+FT",
        needs=("pretrain",),
    ),
    Simulation(
        "single_task",
        UID_SINGLE_TASK,
        simulate_single_task,
        SINGLE_TASK,
        "STL, PT+FT (c grid; exact or GD) and LP losses",
        parts=Parts(single_task_part_count, simulate_single_task_part, merge_single_task, SINGLE_TASK_PART),
        needs=("pretrain",),
    ),
    Simulation(
        "mtl",
        UID_MTL,
        simulate_mtl,
        MTL,
        "MTL by batched full-batch GD (float64)",
        parts=Parts(mtl_seed_count, simulate_mtl_seed, merge_mtl, MTL_PART),
    ),
    Simulation(
        "nested",
        UID_NESTED,
        simulate_nested,
        NESTED,
        "Fig 3b/3c at paper sizes: STL/PT+FT (exact or GD), LP, MTL by GD",
        parts=Parts(nested_part_count, simulate_nested_part, merge_nested, NESTED_PART),
        needs=("pretrain",),
    ),
)
