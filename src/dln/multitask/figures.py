"""Plotting helpers of the multitask notebooks (they only draw what the simulations and verdicts hold).

Learning curves are relative generalisation losses (`dln.multitask.relative`), mean +- 2 SEM over seeds as in
the paper's figures, clipped for display at `CLIP` (the paper's runs stop at train MSE 1e-10).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from dln.figures import ClaimInputs
from dln.layout import View
from dln.multitask.experiments import OVERLAP_EXP, SPARSE_EXP
from dln.multitask.metrics import mean_sem
from dln.multitask.published import load, paper_cell
from dln.multitask.relative import ptft_label

CLIP = 1e-9  # plotted values are clipped here (the paper's runs stop at train MSE 1e-10)


def method_names(c: Sequence[float]) -> dict[str, str]:
    """Legend names of the methods, by label."""
    names = {"stl": "STL", "mtl": "MTL", "lp_ptft": "PT+FT (LP)", "lp_stl": "STL (LP)"}
    return names | {ptft_label(i): f"PT+FT c = {ci:g}" for i, ci in enumerate(c)}


def with_seeds(name: str, samples: NDArray) -> str:
    """'name (S seeds)': the methods are run on different numbers of data seeds (MTL on the first few)."""
    return f"{name} ({samples.shape[0]} seeds)"


def draw_curve(ax: Any, n: NDArray, samples: NDArray, label: str, **kw: Any) -> Any:
    """Mean +- 2 SEM over seeds (first axis of ``samples``, one value per n), clipped at `CLIP`; returns the
    curve's colour.

    NaN entries (MTL not trained at that n) leave gaps."""
    mean, lo, hi = mean_sem(samples)
    (line,) = ax.plot(n, np.maximum(mean, CLIP), label=label, **kw)
    ax.fill_between(n, np.maximum(lo, CLIP), np.maximum(hi, CLIP), color=line.get_color(), alpha=0.15, lw=0)
    return line.get_color()


def published_curve(r: View, label: str, row: int) -> NDArray:
    """The published mean relative loss (over the authors' 6 seeds) of the paper cell standing for each n of our
    curve (method ``label``, teacher ``row`` of ``r``; `dln.multitask.published`), NaN where the paper has none.
    Published relative losses divide by the STL minimum at the smallest n, ours by STL's final loss there
    (1.0-1.16x larger at paper scale): the overlay is the paper's curve as the paper plots it."""
    pub, out = load(), np.full(r.n_main.size, np.nan)
    for p in range(r.n_main.size):
        cell = paper_cell(r, np.asarray(r.c), label, row, p)
        if cell is not None:
            seeds = pub.seeds(cell.experiment, cell.method, cell.c, cell.k, cell.overlap, cell.n)
            out[p] = seeds.mean() if seeds.size else np.nan
    return out


def draw_published(ax: Any, r: View, label: str, row: int, color: Any) -> None:
    """Overlay the published means (`published_curve`) on our curve: markers, legend "published" (once per
    axes). Our n positions stand for the paper's n = 16 * 2^i when the config's grid differs."""
    values = published_curve(r, label, row)
    seen = "published" in ax.get_legend_handles_labels()[1]
    ax.plot(
        r.n_main,
        np.maximum(values, CLIP),
        ls="none",
        marker="D",
        ms=3.5,
        mfc="none",
        mew=0.9,
        color=color,
        label="_nolegend_" if seen else "published",
    )


def curve_axes(ax: Any, title: str) -> None:
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("main-task samples n")
    ax.set_title(title, fontsize=8)


def sparse_row(r: View, k: int, inside: bool) -> int:
    """The sparse-experiment teacher row with k main features inside (overlap = k) or outside the aux support."""
    e, ks, ov = r.teacher.experiment, r.teacher.k_main, r.teacher.overlap
    return int(np.flatnonzero((e == SPARSE_EXP) & (ks == k) & ((ov == k) if inside else (ov == 0)))[0])


def sparse_ks(r: View) -> NDArray[np.int64]:
    """The sparse experiment's numbers of main features, increasing."""
    return np.unique(r.teacher.k_main[r.teacher.experiment == SPARSE_EXP])


def overlap_rows(r: View) -> NDArray[np.int64]:
    """Teacher rows of the overlap experiment, largest overlap (the identical task) first."""
    rows = np.flatnonzero(r.teacher.experiment == OVERLAP_EXP)
    return rows[np.argsort(-r.teacher.overlap[rows])]


def plot_by_k(
    axes: Sequence[Any],
    r: View,
    samples: Mapping[str, NDArray],
    methods: Sequence[str],
    inside: bool,
    published: bool = True,
):
    """One panel per method, one curve per k of the sparse experiment (overlap yes or no), with the published
    means overlaid (`draw_published`) unless ``published`` is False."""
    import matplotlib.pyplot as plt

    names = method_names(r.c)
    ks = sparse_ks(r)
    cmap = plt.get_cmap("viridis")
    for ax, method in zip(axes, methods, strict=True):
        for j, k in enumerate(ks):
            row = sparse_row(r, int(k), inside)
            color = cmap(j / max(1, ks.size - 1))
            draw_curve(ax, r.n_main, samples[method][:, row, :], f"k = {k}", color=color, marker=".")
            if published:
                draw_published(ax, r, method, row, color)
        curve_axes(ax, with_seeds(names[method], samples[method]) + (", overlap yes" if inside else ", no overlap"))


# ---------------------------------------------------------------------------------------------- penalties
def plot_penalties(axes: Sequence[Any], r: View, measured: Mapping[str, Any]) -> None:
    """Fig 1a,b: P_MTL (left) and P_FT (right) against |beta|, one curve per auxiliary magnitude."""
    beta = r.beta
    labels = (("mtl", "$P_{MTL}$"), ("ft", f"$P_{{FT}}$, γ = {float(r.gamma):g}"))
    for ax, (name, label) in zip(axes, labels, strict=True):
        for i, a in enumerate(r.aux_magnitudes):
            ax.plot(beta, r[name].penalty[i], label=f"|β_aux| = {a:g}")
        ax.plot(beta, beta**2 / 1e3, "k:", lw=0.8, label="slope 2 / slope 1")
        ax.plot(beta, beta, "k:", lw=0.8)
        ax.axvline(1.0, color="grey", ls="--", lw=0.8)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("main-task magnitude |β| (paper's parameterisation)")
        ax.set_ylabel(f"penalty {label}")
        s = measured[name]
        switch = ", ".join(f"{v:.2f} at |β_aux| = {k}" for k, v in s["switch_point_by_aux"].items())
        ax.set_title(
            f"{label}: slope {s['slope_small_beta_large_aux']:.3f} (|β| ≪ |β_aux|), "
            f"{s['slope_large_beta_small_aux']:.3f} (|β| ≫ |β_aux|)\nslope-1.5 switch at |β| ≈ {switch}",
            fontsize=6,
        )
    axes[0].legend()


def plot_orders(axes: Sequence[Any], r: View, measured: Mapping[str, Any]) -> None:
    """Fig 3a: order at beta = 1 (left) and feature dependence with the sum (right) against |beta_aux|."""
    aux = r.aux_fine
    for name, label, col in (("mtl", "MTL", "C3"), ("ft", "PT+FT", "C2")):
        curves = r[name]
        decades = measured["nested_range_decades"][name]
        axes[0].plot(aux, curves.order, color=col, label=f"{label} ({decades:.1f} decades nested)")
        axes[1].plot(aux, curves.dependence, color=col, label=f"{label} dependence")
        axes[1].plot(aux, curves.order + curves.dependence, color=col, ls=":", label=f"{label} order + dependence")
    axes[0].axhspan(*measured["nested_orders"], color="grey", alpha=0.15, lw=0)
    for ax in axes:
        ax.set_xscale("log")
        ax.set_xlabel("auxiliary magnitude |β_aux| (main |β| = 1)")
    axes[0].set_ylabel("order ∂lnP/∂ln|β|")
    axes[1].set_ylabel("dependence ∂lnP/∂ln|β_aux| (dotted: sum)")
    axes[0].legend(loc="upper left")
    axes[1].legend(fontsize=6)


# --------------------------------------------------------------------------------------------- validation
def plot_validation(axes: Sequence[Any], r: View, claim: ClaimInputs) -> None:
    """Exact against GD relative losses (left, with the tolerance band and the floor) and the beta gaps (right)."""
    rp, rg = r.pred / r.baseline, r.gd / r.baseline
    tol = claim.check("relative_losses_agree")["threshold"]
    floor = claim.measured["floor"]
    ptft = r.method == 1
    labels = {(0, 0.0): "STL"} | {(1, float(c)): f"PT+FT c = {c:g}" for c in np.unique(r.c[ptft])}
    for i, (key, label) in enumerate(labels.items()):
        sel = (r.method == key[0]) & (r.c == key[1])
        axes[0].scatter(rp[sel], rg[sel], s=18, color=f"C{i}", label=label)
        gap = r.max_beta_gap[sel] / r.teacher_max[sel]
        axes[1].scatter(r.n[sel] * (1 + 0.04 * i), gap, s=18, color=f"C{i}", label=label)
    lo, hi = min(rp.min(), rg.min()) / 2, max(rp.max(), rg.max()) * 2
    xs = np.geomspace(lo, hi, 10)
    axes[0].plot(xs, xs, "k-", lw=0.8)
    axes[0].plot(xs, xs * tol, "k--", lw=0.8)
    axes[0].plot(xs, xs / tol, "k--", lw=0.8)
    axes[0].axvspan(lo, floor, color="grey", alpha=0.15, lw=0)
    axes[0].set_xscale("log")
    axes[0].set_yscale("log")
    axes[0].set_xlabel("relative loss, exact gradient-flow limit")
    axes[0].set_ylabel("relative loss, GD (lr 0.1)")
    axes[0].legend()
    axes[1].axhline(claim.check("betas_agree")["threshold"], color="k", ls="--", lw=0.8, label="tolerance")
    axes[1].set_xscale("log", base=2)
    axes[1].set_yscale("log")
    axes[1].set_xlabel("main-task samples n")
    axes[1].set_ylabel("max |β_GD − β_pred| / max |β*|")
    axes[1].legend()
