"""Plotting helpers of the implicit-bias notebooks (they only draw what the simulations and verdicts hold)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from dln.figures import plot_band, status_summary
from dln.layout import View

METHOD_LABELS = {
    "gd": "GD",
    "sgd": "SGD (b = 1)",
    "sgf": "SGF (Euler-Maruyama, h = γ/10)",
    "gd_from_alpha_inf": "GD from α∞ (per SGD run)",
}


def setting(r: View) -> str:
    """'α = ... (ours; paper A: ...), γ = ..., S seeds, (n, d) = ...' of the sgd_vs_gd simulation."""
    alpha = float(r.alpha)
    return (
        f"α = {alpha:.3g} (ours; paper A: {alpha / np.sqrt(2):.3g}), γ = {float(r.stepsize):g}, "
        f"{r.X.shape[0]} seeds, (n, d) = {r.X.shape[1:]}"
    )


def plot_traces(ax: Any, r: View, method: str, trace: str, with_status: bool = False) -> None:
    """Median and 10-90 % band over data seeds of one method's train-loss or test-error trace."""
    runs = r[method]
    it = runs.record_iterations
    keep = it > 0
    label = METHOD_LABELS[method] + (f" [{status_summary(runs.status)}]" if with_status else "")
    plot_band(ax, it[keep], runs[trace][:, keep], label)


def log_axes(ax: Any, xlabel: str, ylabel: str) -> None:
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)


def plot_sweep(axes: Sequence[Any], points: Mapping[str, Sequence[float]]) -> None:
    """alpha_inf/alpha and test error against gamma int L, one line per row-scale spread, stepsizes annotated,
    points where some run diverged marked (shown, not dropped)."""
    pts = {k: np.asarray(v, dtype=float) for k, v in points.items()}
    for spread in np.unique(pts["spread"]):
        sel = pts["spread"] == spread
        order = np.argsort(pts["gamma_int_loss"][sel])
        label = "isotropic rows" if spread == 1 else f"row scales spread ×{spread:g}"
        for ax, key in zip(axes, ["alpha_ratio", "test_error"], strict=True):
            ax.plot(pts["gamma_int_loss"][sel][order], pts[key][sel][order], "o-", label=label)
            for x, y, g in zip(pts["gamma_int_loss"][sel], pts[key][sel], pts["stepsize"][sel], strict=True):
                ax.annotate(f"γ={g:g}", (x, y), fontsize=6, xytext=(2, 2), textcoords="offset points")
    for j, i in enumerate(np.flatnonzero(pts["diverged"] > 0)):
        axes[0].annotate(
            f"γ={pts['stepsize'][i]:g}, spread {pts['spread'][i]:g}: {int(pts['diverged'][i])} diverged",
            (0.02, 0.04 + 0.06 * j),
            xycoords="axes fraction",
            color="C3",
            fontsize=7,
        )
    axes[0].set_ylabel("mean $\\alpha_\\infty / \\alpha$")
    axes[1].set_ylabel("median test error $\\|\\beta_\\infty - \\beta^*\\|^2$")
    axes[1].set_yscale("log")
    for ax in axes:
        ax.set_xlabel("$\\gamma \\int_0^\\infty L(\\beta_t)\\,dt$")
    axes[0].legend()
