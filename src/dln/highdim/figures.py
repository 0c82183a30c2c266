"""Plotting helpers of the highdim notebooks (they only draw what the simulations and verdicts hold).

Time axes are t = SGD iterations / d (convention C1); bands are median and 10-90 % over SGD runs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from dln.figures import plot_band, status_summary
from dln.layout import View

TIME_LABEL = "t = SGD iterations / d"
OBSERVABLE_LABELS = {
    "risk": "risk R(t) (C1)",
    "curvature": "curvature <λ(u²+v²)>",
    "l1": "ℓ1 norm <|β|>",
    "distance": "<(β-β*)²>",
    "grad_norm": "gradient norm <λ²e²s> (C2)",
}


def setting(r: View, extra: Mapping[str, Any] | None = None, swept: Sequence[str] = ()) -> str:
    """'γ = ..., α = ..., σ = ..., B = ...' of a simulation, without the ``swept`` parameters (they vary per
    point), plus the ``extra`` items."""
    items = {"γ": float(r.gamma), "α": float(r.alpha), "σ": float(r.sigma), "B": int(r.batch)}
    items = {k: v for k, v in items.items() if k not in swept} | dict(extra or {})
    return ", ".join(f"{k} = {v:g}" if isinstance(v, float | int) else f"{k} = {v}" for k, v in items.items())


def time_axes(ax: Any, ylabel: str, log: bool = False) -> None:
    ax.set_xlabel(TIME_LABEL)
    ax.set_ylabel(ylabel)
    if log:
        ax.set_yscale("log")


def plot_dimension_bands(ax: Any, r: View, name: str, with_status: bool = False) -> None:
    """SGD bands of one observable for every d of a dimension sweep, and the finite-volume limit at the
    largest d (red)."""
    for d in r.dims:
        runs = r.per_d[d].sgd
        label = f"SGD d = {d}" + (f" [{status_summary(runs.status)}]" if with_status else "")
        plot_band(ax, r.times, runs[name], label)
    top = r.per_d[int(r.dims[-1])]
    ax.plot(r.times, top.fv[name], "r-", lw=1.5, label="limit (finite volume)")
    time_axes(ax, OBSERVABLE_LABELS.get(name, name), log=name in ("risk", "distance", "grad_norm"))


def plot_relative_to_median(ax: Any, t: np.ndarray, sgd_risk: np.ndarray, curves: Mapping[str, tuple]) -> None:
    """The SGD 10-90 % band and other curves, each relative to the SGD median (0 = the median)."""
    lo, med, hi = np.quantile(sgd_risk, [0.1, 0.5, 0.9], axis=0)
    ax.fill_between(t, lo / med - 1, hi / med - 1, alpha=0.3, label="SGD 10-90 % band")
    for label, (curve, style) in curves.items():
        ax.plot(t, curve / med - 1, style, label=label)
    time_axes(ax, "relative to the SGD median")


def plot_against_d(ax: Any, dims: Sequence[int], values: Sequence[float], label: str) -> None:
    """Values against d on log-log axes."""
    ax.plot(np.asarray(dims, dtype=float), np.asarray(values, dtype=float), "o-", label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(list(dims), [str(d) for d in dims], minor=False)
    ax.set_xticks([], minor=True)
    ax.set_xlabel("dimension d")


def plot_slope_guides(ax: Any, dims: Sequence[int], anchor: float, slopes: Mapping[str, float]) -> None:
    """Lines anchor * (d / d_0)^slope through the first dimension, one per labelled slope."""
    d = np.asarray(dims, dtype=float)
    for (label, slope), style in zip(slopes.items(), ("k--", "k:", "k-."), strict=False):
        ax.plot(d, anchor * (d / d[0]) ** slope, style, lw=0.8, label=f"{label}: d^({slope:g})")


def plot_zeta_histograms(axes: Sequence[Any], block: View, snapshot_times: np.ndarray, run: int = 0) -> None:
    """Histograms of one SGD run's zeta per coordinate type at each snapshot, with the Fokker-Planck density."""
    snaps, dens, grid, label = block.sgd.zeta_snapshots, block.fv.density_snapshots, block.fv.grid, block.types.label
    for k, ax in enumerate(axes):
        for j, t in enumerate(snapshot_times):
            color = f"C{j}"
            ax.hist(snaps[j, run][label == k], bins=40, density=True, alpha=0.35, color=color, label=f"SGD t = {t:g}")
            keep = dens[j, k] > 1e-4 * dens[j, k].max()
            ax.plot(grid[keep], dens[j, k][keep], color=color, lw=1)
        ax.set_xlabel("ζ = arcsinh(2β/|Δ|)")
        ax.set_ylabel("density")
        ax.set_title(f"β* = {block.types.bstar[k]:g} (lines: Fokker-Planck)", fontsize=8)
        ax.legend(fontsize=6)


def plot_balance_curves(ax: Any, curves: Mapping[str, Any], tol: float) -> None:
    """The Delta-law ratio per type against t (1 = exact), with the verdict's tolerance band."""
    ratio = np.asarray(curves["ratio"])
    for k in range(ratio.shape[1]):
        ax.plot(curves["times"], ratio[:, k], label=f"λ = {curves['lam'][k]:.2f}, β* = {curves['bstar'][k]:g}")
    ax.axhspan(1 - tol, 1 + tol, color="grey", alpha=0.2, label=f"±{tol:.0%} (verdict)")
    time_axes(ax, "log(Δ(t)/Δ(0)) / (-2γ²λ∫R)")
    ax.legend(fontsize=6)


def plot_sweep_bands(ax: Any, t: np.ndarray, blocks: Sequence[tuple[str, View]], color_offset: int = 0) -> None:
    """SGD risk bands of several sweep points (label, block with ``sgd``), with the block's limit (finite
    volumes or particles) dashed when it has one."""
    for i, (label, blk) in enumerate(blocks):
        color = f"C{i + color_offset}"
        plot_band(ax, t, blk.sgd.risk, f"{label} [{status_summary(blk.sgd.status)}]", color=color)
        for limit in ("fv/risk", "particles/risk"):
            if limit in blk:
                ax.plot(t, blk[limit], color=color, ls="--", lw=1)


def plot_floor(ax: Any, measured: Mapping[str, Any], sigma: float) -> None:
    """Late-time risk against gamma: SGD, the limit and our floor formula with the limit's curvature, over the
    floor sweep and near gamma_c (the critical factors below 1)."""
    near = measured["near_gamma_c"]
    g = [*measured["gammas"], *near["gammas"]]
    ax.plot(g, [*measured["late_risk_sgd"], *near["late_risk_sgd"]], "o", label="SGD late risk (median)")
    ax.plot(g, [*measured["late_risk_limit"], *near["late_risk_limit"]], "s", mfc="none", label="limit late risk")
    formula = [*measured["floor_formula_limit_curvature"], *near["floor_formula_limit_curvature"]]
    ax.plot(g, formula, "r-", label="our formula (σ²/2)/(1 - γc/2), limit's c")
    ax.axhline(0.5 * sigma**2, color="k", ls=":", label="σ²/2")
    ax.set_yscale("log")
    ax.set_xlabel("stepsize γ")
    ax.set_ylabel("late-time risk")
    ax.legend(fontsize=6)


def plot_alpha_decay(ax: Any, r: View, measured: Mapping[str, Any], late_window: float) -> None:
    """log risk per alpha against t / horizon (each alpha runs to its own horizon): SGD bands, the particle
    limit (dashed) and the predicted late slope (dotted) anchored at the limit's final value over the verdict's
    late window."""
    for i, a in enumerate(r.alphas):
        blk = r.per_alpha[i]
        t = blk.times
        x = t / t[-1]
        label = (
            f"SGD α = {a:g}, T = {t[-1]:g}: rate {measured['sgd_rate'][i]:.3f} (pred. {measured['predicted'][i]:.3f})"
        )
        plot_band(ax, x, blk.sgd.risk, label, color=f"C{i}")
        lim = blk.particles.risk
        ax.plot(x, lim, color=f"C{i}", ls="--", lw=1)
        late = t >= (1.0 - late_window) * t[-1]
        ax.plot(x[late], lim[-1] * np.exp(-measured["predicted"][i] * (t[late] - t[-1])), "k:", lw=1)
    time_axes(ax, "risk R(t) (C1), σ = 0", log=True)
    ax.set_xlabel("t / T (t = SGD iterations / d, T the horizon of each α)")
    ax.legend(fontsize=6)


def plot_local_rates(ax: Any, measured: Mapping[str, Any], tol: float) -> None:
    """Local rate / predicted rate in each part of the late window, per alpha (SGD: filled, limit: open),
    with the verdict's tolerance band (1 = the prediction; a power law would fall across the parts)."""
    pred = np.asarray(measured["predicted"])
    for i, a in enumerate(measured["alphas"]):
        for key, marker in (("sgd_local", "o-"), ("limit_local", "s--")):
            ratio = np.asarray(measured[key][i]) / pred[i]
            ax.plot(np.arange(1, ratio.size + 1), ratio, marker, color=f"C{i}", mfc="none" if "limit" in key else None,
                    label=f"α = {a:g} ({'SGD' if key == 'sgd_local' else 'limit'})")  # fmt: skip
    ax.axhspan(1 - tol, 1 + tol, color="grey", alpha=0.2, label=f"±{tol:.0%} (verdict)")
    ax.set_xticks(np.arange(1, len(measured["sgd_local"][0]) + 1))
    ax.set_xlabel("part of the late window")
    ax.set_ylabel("local rate / predicted rate")
    ax.legend(fontsize=5, ncols=2)
