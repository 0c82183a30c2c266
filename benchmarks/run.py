"""Speed and memory benchmarks of dln (issue 6): every ratio is measured in one process, on the same work.

Usage (from the repository root):

    .venv/bin/python benchmarks/run.py            # issue sizes, a few minutes of CPU
    .venv/bin/python benchmarks/run.py --quick    # small sizes, about half a minute

It prints a markdown table and writes it to ``benchmarks/results.md`` (``--out`` elsewhere). Times are CPU
seconds of this process (``time.process_time``; the machines these run on are shared, so wall time would
measure the neighbours), medians over ``--repeats``. Peak memory is the tracemalloc peak of one untimed
pass (numpy arrays included; the kernels' few scratch vectors are not). Nothing here is asserted: the
tests only check that the script runs.

The baseline of benchmark 1 is the one-run-one-step numpy loop `dln.reference.reference_run`. It is timed
on a subset of the runs at the full horizon and scaled to the whole grid (its cost is exactly linear in the
number of runs, which it trains one after the other); the same subset checks that the fast paths agree with
it to 1e-12.

The table's header names the BLAS kernels the process ran. An ``OPENBLAS_CORETYPE`` in the environment forces
OpenBLAS's choice (some shared machines pin an older kernel set, such as Haswell's AVX2 kernels on an AVX-512
CPU, which halves matrix-product speed); to measure what numpy picks by itself there, run
``env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/run.py``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

from dln.reference import reference_run
from dln.training import NUMBA_MAX_ENTRIES, Engine, Method, Stopping, TrainResult, train

ROOT = Path(__file__).resolve().parents[1]
NO_STOP = Stopping(stop_loss=-1.0, diverge_bound=1e12)  # every run does its whole budget: equal work


@dataclass
class Row:
    """One line of the table: a baseline and a fast path on the same work."""

    benchmark: str
    work: str
    baseline: str
    fast: str
    baseline_s: float
    fast_s: float
    target: str
    peak_mb: str = ""
    check: str = ""

    @property
    def ratio(self) -> float:
        return self.baseline_s / self.fast_s

    def cells(self) -> list[str]:
        return [
            self.benchmark,
            self.work,
            f"{self.baseline}: {self.baseline_s:.3g} s",
            f"{self.fast}: {self.fast_s:.3g} s",
            f"**{self.ratio:.{2 if self.ratio < 10 else 1}f}x**",
            self.target,
            self.peak_mb,
            self.check,
        ]


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    todo: list[tuple[str, str, str, str]] = field(default_factory=list)


def cpu_median(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """Median CPU seconds of ``fn`` over ``repeats`` calls, and the last result."""
    times, out = [], None
    for _ in range(repeats):
        t0 = time.process_time()
        out = fn()
        times.append(time.process_time() - t0)
    return statistics.median(times), out


def peak_mb(fn: Callable[[], Any]) -> float:
    """tracemalloc peak (MB) of one call."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


# ------------------------------------------------------------------------------------- benchmark 1: sweep
@dataclass(frozen=True)
class Sweep:
    """The finite-data sweep of the implicit-bias and stepsize families: stepsizes x data seeds."""

    n: int = 20
    d: int = 30
    stepsizes: int = 40
    seeds: int = 10
    steps: int = 100_000
    alpha: float = 0.1

    def problems(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rng = np.random.default_rng(6)
        X = rng.standard_normal((self.seeds, self.n, self.d))
        bstar = np.zeros((self.seeds, self.d))
        bstar[:, :3] = rng.standard_normal((self.seeds, 3))
        return X, np.einsum("snd,sd->sn", X, bstar), bstar

    def grid(self) -> tuple[np.ndarray, np.ndarray]:
        """(stepsize, data index) of every run: stepsizes up to a stable 0.04 (no run diverges early)."""
        g, s = np.meshgrid(np.geomspace(2e-3, 4e-2, self.stepsizes), np.arange(self.seeds), indexing="ij")
        return g.ravel(), s.ravel()


def sweep_runner(cfg: Sweep, method: Method, steps: int | None = None, **kw: Any) -> Callable[[], TrainResult]:
    X, y, bstar = cfg.problems()
    gam, di = cfg.grid()
    G, k = gam.size, steps or cfg.steps
    u0 = np.full((G, cfg.d), np.sqrt(2.0) * cfg.alpha)

    def run() -> TrainResult:
        rngs = None if method == "gd" else [np.random.default_rng(i) for i in range(G)]
        return train(
            method,
            X,
            y,
            bstar,
            di,
            gam,
            u0,
            np.zeros_like(u0),
            k,
            rngs,
            batch_size=1,
            stopping=NO_STOP,
            progress=False,
            **kw,
        )

    return run


def reference_runner(cfg: Sweep, method: str, rows: np.ndarray, steps: int | None = None) -> Callable[[], list]:
    X, y, _ = cfg.problems()
    gam, di = cfg.grid()
    u0 = np.full(cfg.d, np.sqrt(2.0) * cfg.alpha)

    def run() -> list:
        return [
            reference_run(
                method,
                X[di[i]],
                y[di[i]],
                gam[i],
                u0,
                np.zeros(cfg.d),
                steps or cfg.steps,
                np.random.default_rng(int(i)),
                batch_size=1,
            )
            for i in rows
        ]

    return run


def bench_sweep(cfg: Sweep, repeats: int, ref_runs: int, report: Report) -> None:
    """Benchmark 1: GD and SGD (b = 1) over the grid; numba kernel, numpy engine, one-run-one-step loop."""
    G = cfg.stepsizes * cfg.seeds
    rows = np.linspace(0, G - 1, ref_runs).round().astype(np.int64)  # small to large stepsizes
    work = f"{cfg.stepsizes} stepsizes x {cfg.seeds} seeds, n={cfg.n}, d={cfg.d}, {cfg.steps:.0e} steps"
    totals = {"ref": 0.0, "numba": 0.0, "numpy": 0.0}
    methods: tuple[tuple[Method, str], ...] = (("sgd", "SGD b=1"), ("gd", "GD"))
    for method, label in methods:
        t_numba, res = cpu_median(sweep_runner(cfg, method, engine="numba"), repeats)
        t_numpy, res_np = cpu_median(sweep_runner(cfg, method, engine="numpy"), repeats)
        t_ref, ref = cpu_median(reference_runner(cfg, method, rows), repeats)
        t_ref_full = t_ref * G / ref_runs
        err = max(
            float(np.abs(getattr(r, f)[rows] - np.stack([w[j] for w in ref])).max())
            for r in (res, res_np)
            for j, f in enumerate(("u", "v"))
        )
        full_work = bool(np.all(res.steps == cfg.steps))
        mem_fast = peak_mb(sweep_runner(cfg, method, steps=min(cfg.steps, 2000), engine="numba"))
        mem_np = peak_mb(sweep_runner(cfg, method, steps=min(cfg.steps, 2000), engine="numpy"))
        mem_ref = peak_mb(reference_runner(cfg, method, rows[:1], steps=min(cfg.steps, 2000)))
        check = f"max abs diff vs oracle {err:.1e} ({ref_runs} runs)" + ("" if full_work else "; SOME RUNS STOPPED")
        report.rows.append(
            Row(
                f"1 sweep, {label}",
                work,
                "reference loop",
                "numba kernel",
                t_ref_full,
                t_numba,
                ">= 50x",
                f"{mem_fast:.1f} / {mem_ref:.2f}",
                check,
            )
        )
        report.rows.append(
            Row(
                f"1 sweep, {label}",
                work,
                "reference loop",
                "numpy engine",
                t_ref_full,
                t_numpy,
                "(kept for comparison)",
                f"{mem_np:.1f} / {mem_ref:.2f}",
                "",
            )
        )
        totals["ref"] += t_ref_full
        totals["numba"] += t_numba
        totals["numpy"] += t_numpy
        if method == "gd":  # how close the kernel's two matrix products per step come to the hardware
            gram = cfg.d < 2 * cfg.n  # the kernel's Gram form (no loss tracked here): d^2 instead of 2nd per run
            rate = (cfg.d * cfg.d if gram else 2 * cfg.n * cfg.d) * G * cfg.steps / t_numba / 1e9
            form = f"one {cfg.stepsizes}x{cfg.d}x{cfg.d} product (Gram form)" if gram else "two products"
            report.notes.append(
                f"Benchmark 1, GD: the kernel sustains {rate:.1f} G multiply-adds/s over the whole run ({form} per "
                f"problem and step, BLAS); the reference loop spends {t_ref / (ref_runs * cfg.steps) * 1e6:.1f} us "
                "per step on Python and numpy call overhead."
            )
    report.rows.append(
        Row("1 sweep, SGD + GD", work, "reference loop", "numba kernel", totals["ref"], totals["numba"], ">= 50x")
    )
    report.notes.append(
        f"Benchmark 1: the reference loop was timed on {ref_runs} of the {G} runs (full horizon) and scaled by "
        f"{G}/{ref_runs}; numba and numpy engines ran the whole grid. Peak memory columns: fast path (2000-step "
        "pass) / reference (one run)."
    )


def bench_sgf(n: int, d: int, runs: int, substeps: int, repeats: int, ref_runs: int, report: Report) -> None:
    """The SGF Euler-Maruyama job of implicit_bias/sgd_vs_gd (its slowest): n=40, d=100, 12 runs."""
    rng = np.random.default_rng(7)
    X = rng.standard_normal((runs, n, d))
    bstar = np.zeros((runs, d))
    bstar[:, :5] = rng.standard_normal((runs, 5))
    y = np.einsum("snd,sd->sn", X, bstar)
    u0 = np.full((runs, d), 0.02)
    gamma, h = 0.05, 0.001  # horizon 100: far from convergence, so no run reaches subnormal residuals

    def fast(engine: Engine, k: int = substeps) -> Callable[[], TrainResult]:
        return lambda: train(
            "sgf",
            X,
            y,
            bstar,
            np.arange(runs),
            np.full(runs, gamma),
            u0,
            np.zeros_like(u0),
            k,
            [np.random.default_rng(i) for i in range(runs)],
            substep=h,
            stopping=NO_STOP,
            progress=False,
            engine=engine,
        )

    def ref(k: int = substeps, m: int = ref_runs) -> list:
        return [
            reference_run("sgf", X[i], y[i], gamma, u0[i], np.zeros(d), k, np.random.default_rng(i), substep=h)
            for i in range(m)
        ]

    t_numba, res = cpu_median(fast("numba"), repeats)
    t_numpy, _ = cpu_median(fast("numpy"), repeats)
    t_ref, out = cpu_median(ref, repeats)
    err = max(np.abs(res.u[i] - out[i][0]).max() for i in range(ref_runs))
    work = f"{runs} runs, n={n}, d={d}, {substeps:.0e} substeps"
    mem = peak_mb(fast("numba", min(substeps, 2000)))
    report.rows.append(
        Row(
            "SGF (sgd_vs_gd)",
            work,
            "reference loop",
            "numba kernel",
            t_ref * runs / ref_runs,
            t_numba,
            "-",
            f"{mem:.1f}",
            f"max abs diff vs oracle {err:.1e}",
        )
    )
    report.rows.append(Row("SGF (sgd_vs_gd)", work, "numpy engine", "numba kernel", t_numpy, t_numba, "-"))


def bench_crossover(steps: int, report: Report) -> None:
    """Full-batch GD, numba kernel vs numpy engine over problem sizes: where `choose_engine` switches."""
    lines = ["| n x d | runs | numpy engine / numba kernel (CPU time) | auto picks |", "|---|---|---|---|"]
    rng = np.random.default_rng(8)
    for n, d, runs in ((20, 30, 100), (40, 100, 12), (100, 300, 8), (100, 1000, 8), (200, 1000, 4)):
        X = rng.standard_normal((runs, n, d)) / np.sqrt(d)
        bstar = np.zeros((runs, d))
        bstar[:, :3] = 1.0
        y = np.einsum("snd,sd->sn", X, bstar)
        k = max(50, int(steps * 600 / (n * d)))

        def run(engine: Engine, X: np.ndarray = X, y: np.ndarray = y, bstar: np.ndarray = bstar, k: int = k) -> Any:
            G = X.shape[0]
            return lambda: train(
                "gd",
                X,
                y,
                bstar,
                np.arange(G),
                np.full(G, 0.05),
                np.full((G, X.shape[2]), 0.1),
                np.zeros((G, X.shape[2])),
                k,
                None,
                stopping=NO_STOP,
                progress=False,
                engine=engine,
            )

        t_nb, _ = cpu_median(run("numba"), 1)
        t_np, _ = cpu_median(run("numpy"), 1)
        pick = "numba" if n * d <= NUMBA_MAX_ENTRIES else "numpy"
        lines.append(f"| {n} x {d} | {runs} | {t_np / t_nb:.2f} | {pick} |")
    report.extra += ["### Engine crossover (GD, full batch)", "", *lines, ""]


FIRST_CALLS = """
import numpy as np
from dln.training import train
X, G = np.ones((1, 3, 2)), 8
args = (X, np.ones((1, 3)), np.ones((1, 2)), np.zeros(G, int), np.full(G, 0.1), np.ones((G, 2)), np.zeros((G, 2)), 3)
rngs = [np.random.default_rng(i) for i in range(G)]
for method in ("gd", "sgd"):  # the grouped kernel (8 runs on one problem) and the run-by-run kernel
    train(method, *args, rngs, batch_size=1, engine="{engine}", progress=False)
"""


def child_cpu(code: str, env: dict[str, str] | None = None) -> float:
    """CPU seconds (user + system) of a fresh Python process running ``code``."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-c", code], check=True, env=env, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def bench_compile(report: Report) -> None:
    """Kernel compile time (empty numba cache) and a new process's first calls with the cache (CPU seconds)."""
    import tempfile

    with tempfile.TemporaryDirectory() as cache:
        cold = child_cpu(FIRST_CALLS.format(engine="numba"), env=os.environ | {"NUMBA_CACHE_DIR": cache})
    warm = child_cpu(FIRST_CALLS.format(engine="numba"))
    plain = child_cpu(FIRST_CALLS.format(engine="numpy"))
    report.notes.append(
        f"Start-up, CPU seconds of a new process that imports dln and makes its first GD and SGD calls: "
        f"{plain:.2f} s with the numpy engine, {warm:.2f} s with the kernels loaded from numba's cache "
        f"(cache=True, under src/dln/__pycache__), {cold:.2f} s when they must be compiled (empty cache: "
        f"compile time {cold - warm:.2f} s, paid once per machine and source version)."
    )


# ------------------------------------------------------------------------- benchmarks 2-4 (other modules)
@dataclass(frozen=True)
class Sizes:
    """Sizes of benchmarks 2-4 (issue sizes; --quick shrinks them)."""

    stream_d: int = 4096
    stream_runs: int = 8
    stream_t: float = 5.0
    fv_t: float = 10.0
    particles: int = 200_000
    particle_h: float = 0.002
    sgd_d: int = 16000  # largest d of the dimension sweep: the SGD run the limit replaces
    sgd_runs: int = 12
    sgd_t_measured: float = 0.25  # SGD at the largest d is timed on this horizon and scaled to t = 10
    mtl_D: int = 1000
    mtl_configs: int = 24
    mtl_steps_measured: int = 200  # the 1e4 steps scale linearly (no column stops in this setting)

    @staticmethod
    def quick() -> Sizes:
        return Sizes(512, 2, 1.0, 2.0, 20_000, 0.005, 2000, 2, 0.25, 300, 24, 20)


HIGHDIM_SPEC = {"rho": 0.1, "b": 1.0, "alpha": 0.1, "gamma": 0.5, "sigma": 0.1, "batch": 1}


def bench_streaming(z: Sizes, repeats: int, report: Report) -> None:
    """Benchmark 2: streaming SGD (dln.highdim.sgd.run_sgd) vs drawing the same normals with numpy's default."""
    from dln.highdim.model import coordinate_types, make_problem
    from dln.highdim.recording import time_grid
    from dln.highdim.sgd import reference_sgd, run_sgd

    d, runs = z.stream_d, z.stream_runs
    problem = make_problem(HIGHDIM_SPEC, d)
    types = coordinate_types(problem)
    times = time_grid(z.stream_t, 11)
    steps = int(round(z.stream_t * d))
    normals = runs * steps * problem.batch * d

    def sgd() -> Any:
        return run_sgd(problem, types, [np.random.default_rng(i) for i in range(runs)], times)

    def draws(dtype: Any = np.float64, bitgen: Any = np.random.PCG64, block: int = 64) -> Callable[[], None]:
        def run() -> None:
            buf = np.empty((block, problem.batch, d), dtype=dtype)
            for i in range(runs):
                rng = np.random.Generator(bitgen(i))
                for k in range(0, steps, block):
                    rng.standard_normal(out=buf[: min(block, steps - k)], dtype=dtype)

        return run

    t_sgd, out = cpu_median(sgd, repeats)
    u_ref, v_ref, _ = reference_sgd(problem, np.random.default_rng(0), steps)
    err = max(float(np.abs(out["sgd/u"][0] - u_ref).max()), float(np.abs(out["sgd/v"][0] - v_ref).max()))
    t_draw, _ = cpu_median(draws(), repeats)
    t_f32, _ = cpu_median(draws(np.float32), 1)
    t_sfc, _ = cpu_median(draws(np.float64, np.random.SFC64), 1)
    report.rows.append(
        Row(
            "2 streaming SGD",
            f"d={d}, {runs} runs, t={z.stream_t:g} ({normals:.2e} normals)",
            "run_sgd",
            "numpy normal draws",
            t_sgd,
            t_draw,
            "SGD / draws <= 1.2x",
            f"{peak_mb(sgd):.0f} / {peak_mb(draws()):.1f}",
            f"SGD {normals / t_sgd:.3g} normals/s; draws alone {normals / t_draw:.3g}/s; max abs diff vs "
            f"oracle {err:.1e} (run 0)",
        )
    )
    report.notes.append(
        "Benchmark 2: the ratio column is SGD time / time to draw the same normals (target <= 1.2); peak MB: "
        "SGD / draws. "
        f"Faster generator paths for the same count: float32 normals {normals / t_f32:.3g}/s "
        f"({t_draw / t_f32:.2f}x), SFC64 bit generator {normals / t_sfc:.3g}/s ({t_draw / t_sfc:.2f}x); either "
        "changes the streams (and float32 the precision), so neither is used."
    )


def bench_limits(z: Sizes, report: Report) -> None:
    """Benchmark 3: limit solvers (finite volume, particles) vs the SGD run at the largest d they replace."""
    from dln.highdim.experiments import grid_for
    from dln.highdim.limit_fokker_planck import run_fokker_planck
    from dln.highdim.limit_particles import run_particles
    from dln.highdim.model import coordinate_types, make_problem
    from dln.highdim.recording import time_grid
    from dln.highdim.sgd import run_sgd

    spec = HIGHDIM_SPEC | {"fv_dz": 0.0025, "fv_dt": 0.004, "fv_zeta_max": 8.0}
    problem = make_problem(spec, 1000)
    types = coordinate_types(problem)  # isotropic, sparse target: two coordinate types
    times = time_grid(z.fv_t, 11)
    t_fv, _ = cpu_median(
        lambda: run_fokker_planck(
            types, problem.gamma, problem.sigma, problem.batch, grid_for(types, spec), spec["fv_dt"], times
        ),
        1,
    )
    t_pa, _ = cpu_median(
        lambda: run_particles(
            types,
            problem.gamma,
            problem.sigma,
            problem.batch,
            z.particles,
            z.particle_h,
            times,
            np.random.default_rng(0),
        ),
        1,
    )
    big = make_problem(spec, z.sgd_d)
    big_types = coordinate_types(big)
    t_sgd, _ = cpu_median(
        lambda: run_sgd(big, big_types, [np.random.default_rng(i) for i in range(2)], time_grid(z.sgd_t_measured, 3)), 1
    )
    t_sgd_full = t_sgd * (z.sgd_runs / 2) * (z.fv_t / z.sgd_t_measured)
    work = f"{types.n_types} types to t={z.fv_t:g}; SGD d={z.sgd_d}, {z.sgd_runs} runs"
    report.rows.append(
        Row(
            "3 limit: finite volume",
            work,
            "SGD (scaled)",
            "FV solver",
            t_sgd_full,
            t_fv,
            f"FV <= 3 s (here {t_fv:.2f} s)",
        )
    )
    report.rows.append(
        Row(
            "3 limit: particles",
            f"N={z.particles}, h={z.particle_h}; " + work,
            "SGD (scaled)",
            "particle solver",
            t_sgd_full,
            t_pa,
            f"<= 30 s (here {t_pa:.1f} s)",
        )
    )
    report.notes.append(
        f"Benchmark 3: SGD at d={z.sgd_d} timed with 2 runs to t={z.sgd_t_measured:g} and scaled linearly to "
        f"{z.sgd_runs} runs and t={z.fv_t:g} (its cost is linear in both); solvers timed once each."
    )


def bench_multitask(z: Sizes, repeats: int, report: Report) -> None:
    """Benchmark 4: MTL training, all configurations in one batched call vs one configuration at a time.

    Two baselines: `train_gd` called once per configuration (the same algorithm, Gram form and compiled update
    included: what batching alone gains) and the plain per-step oracle `reference_mtl_gd` on each
    configuration's raw data (the issue's reference point: how such runs are usually written).
    """
    from dln.multitask.reference import reference_mtl_gd
    from dln.multitask.training import GramTask, Weights, train_gd

    D, C, steps = z.mtl_D, z.mtl_configs, z.mtl_steps_measured
    rng = np.random.default_rng(9)
    X_aux = rng.standard_normal((D, D)) / np.sqrt(D)
    X_main = rng.standard_normal((D // 4, D)) / np.sqrt(D)
    star = np.zeros((C, D))
    star[:, :10] = rng.standard_normal((C, 10))
    star_main = star + 0.1 * rng.standard_normal((C, D)) * (star != 0)
    aux = GramTask(X_aux.T @ X_aux, star, D)
    main = GramTask(X_main.T @ X_main, star_main, D // 4)
    a = np.full((C, D), 0.1)
    init = Weights(a, a.copy(), np.stack([a, a]), np.stack([a, a]))

    def batched() -> Any:
        return train_gd([aux, main], init, 0.05, steps, threshold=0.0, eval_task=1)

    def one_call(c: int) -> Any:
        one = np.array([c])
        return train_gd([aux.subset(one), main.subset(one)], init.take(one), 0.05, steps, 0.0, eval_task=1)

    def reference(c: int) -> tuple[np.ndarray, ...]:
        data = [(X_aux, X_aux @ star[c]), (X_main, X_main @ star_main[c])]
        return reference_mtl_gd(data, a[c], a[c], init.v_pos[:, c], init.v_neg[:, c], 0.05, steps)

    ref_cols = 4  # the oracle is timed on a few configurations and scaled (its cost is linear in their number)
    train_gd([aux, main], init, 0.05, 2, 0.0, eval_task=1)  # load the compiled update before timing
    t_b, res = cpu_median(batched, repeats)
    t_1, _ = cpu_median(lambda: [one_call(c) for c in range(C)], repeats)
    t_ref, refs = cpu_median(lambda: [reference(c) for c in range(ref_cols)], repeats)
    t_ref *= C / ref_cols
    diff = max(float(np.max(np.abs(res.weights.v_pos[:, c] - ref[2]))) for c, ref in enumerate(refs))

    G, vec, panel = aux.gram, star[0].copy(), star.copy()
    t_mv, _ = cpu_median(lambda: [vec @ G for _ in range(50 * C)], repeats)  # one configuration: matrix-vector
    t_mm, _ = cpu_median(lambda: [panel @ G for _ in range(50)], repeats)  # all C at once: one matrix product
    gemv, gemm = 50 * C * D * D / t_mv / 1e9, 50 * C * D * D / t_mm / 1e9
    full_work = bool(np.all(res.steps == steps))
    fma = 2.0 * D * D * C * steps  # multiply-adds of the gradients (both tasks, every configuration)
    ref_fma = 2.0 * (D + D // 4) * D * C * steps  # the same through the raw data
    report.notes.append(
        f"Benchmark 4: the gradients are {2 * D * D / 1e6:.0f} M multiply-adds per configuration and step (two "
        f"{D}x{D} Gram products), the rest of a step is one compiled pass over the weights. A {D}x{D} "
        f"matrix-vector product runs at {gemv:.1f} G multiply-adds/s here (it streams the 8 MB matrix from the "
        f"L3 cache for {D * D / 1e6:.0f} M multiply-adds), the same matrix times {C} vectors at {gemm:.1f} G/s: "
        f"batching gains about {gemm / gemv:.1f}x on the products themselves in float64 on this machine, and the "
        f"rest of any ratio comes from spreading the per-step overhead of the one-at-a-time loop over {C} "
        f"configurations. "
        f"Measured: train_gd one configuration at a time {fma / t_1 / 1e9:.1f} G/s overall, batched "
        f"{fma / t_b / 1e9:.1f} G/s. The plain per-step oracle works on raw data (2 (N_aux + N_main) D = "
        f"{ref_fma / C / steps / 1e6:.1f} M multiply-adds per configuration and step, no Gram form) at "
        f"{ref_fma / t_ref / 1e9:.1f} G/s; it was timed on {ref_cols} of the {C} configurations and scaled. "
        f"Batched and oracle iterates differ by at most "
        f"{diff:.1e}. In the workflow, the MTL seeds also run as parallel jobs (one job per seed)."
    )
    stopped = "" if full_work else "SOME COLUMNS STOPPED; "
    baselines = [
        ("train_gd, one configuration at a time", t_1, stopped),
        (
            "plain per-step loop, one at a time",
            t_ref,
            f"{stopped}max abs diff vs oracle {diff:.1e} ({ref_cols} configurations)",
        ),
    ]
    for baseline, t, check in baselines:
        report.rows.append(
            Row(
                "4 MTL training",
                f"D={D}, {C} configurations sharing the auxiliary data, {steps} steps (ratio per step)",
                baseline,
                "batched train_gd",
                t,
                t_b,
                ">= 5x",
                "",
                check,
            )
        )


# ----------------------------------------------------------------------------------------------- report
def blas_kernels() -> str:
    """Which BLAS libraries and kernels this process runs (an OPENBLAS_CORETYPE in the environment forces them)."""
    libs = sorted({f"{i['internal_api']} {i['version']} ({i.get('architecture')} kernels)" for i in threadpool_info()})
    forced = os.environ.get("OPENBLAS_CORETYPE")
    return "BLAS: " + (", ".join(libs) or "none found") + (f", forced by OPENBLAS_CORETYPE={forced}" if forced else "")


def render(report: Report, mode: str, seconds: float) -> str:
    head = ["benchmark", "work", "baseline", "fast path", "ratio", "target", "peak MB", "check"]
    lines = [
        "# dln benchmarks",
        "",
        f"`benchmarks/run.py{' --quick' if mode == 'quick' else ''}` on {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, numpy {np.__version__}; "
        f"CPU seconds (process time), medians over repeats; the whole script took {seconds:.0f} s wall; "
        f"{blas_kernels()}.",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    lines += ["| " + " | ".join(r.cells()) + " |" for r in report.rows]
    lines += [f"| {b} | {w} | - | - | - | {t} | - | {note} |" for b, w, t, note in report.todo]
    lines += ["", *report.extra, "Notes:", ""] + [f"- {n}" for n in report.notes]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (seconds), same table")
    ap.add_argument("--steps", type=int, default=None, help="override the sweep's step count (tests use it)")
    ap.add_argument("--repeats", type=int, default=None, help="timed repeats per measurement (median)")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.md")
    ap.add_argument("--only-sweep", action="store_true", help="skip benchmarks 2-4 (other modules)")
    ap.add_argument("--skip-compile", action="store_true", help="skip the compile-time measurement")
    args = ap.parse_args(argv)
    with threadpool_limits(limits=1, user_api="blas"):  # as in the workflow's jobs: CPU time is work, not threads
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    t0 = time.perf_counter()
    quick = args.quick
    steps = args.steps or (5_000 if quick else 100_000)
    repeats = args.repeats or (1 if quick else 3)
    report = Report()
    if not args.skip_compile:
        bench_compile(report)
    exec(FIRST_CALLS.format(engine="numba"), {})  # load the kernels here too: timings below exclude start-up
    bench_sweep(Sweep(steps=steps), repeats, ref_runs=2 if quick else 4, report=report)
    bench_sgf(40, 100, 12, max(steps // 10, 100) if quick else 100_000, repeats, ref_runs=2, report=report)
    bench_crossover(max(steps // 5, 100) if quick else 4000, report)
    sizes = Sizes.quick() if quick else Sizes()
    others = [
        ("2 streaming SGD", "d=4096, 8 runs, t=5", "<= 1.2x draws", lambda: bench_streaming(sizes, repeats, report)),
        ("3 limit solvers", "FV to t=10; particles N=2e5", "<= 3 s; <= 30 s", lambda: bench_limits(sizes, report)),
        ("4 MTL training", "D=1000, 24 configs, 1e4 steps", ">= 5x", lambda: bench_multitask(sizes, repeats, report)),
    ]
    for name, work, target, bench in others:
        if args.only_sweep:
            report.todo.append((name, work, target, "skipped (--only-sweep)"))
            continue
        try:
            bench()
        except Exception as err:  # another helper's module is missing or changed: say so in the table
            report.todo.append((name, work, target, f"TODO: not measured ({type(err).__name__}: {err})"))
    report.todo.append(
        ("5 end to end", "snakemake --cores 2, config.small.yaml", "<= 5 min", "measured by the lead (README)")
    )
    text = render(report, "quick" if quick else "full", time.perf_counter() - t0)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
