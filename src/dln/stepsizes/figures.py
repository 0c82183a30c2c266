"""Plotting helpers of the stepsizes notebooks (they only draw what the sweep and the verdicts hold)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from dln.figures import ClaimInputs, plot_band
from dln.layout import View
from dln.stepsizes.sweep import COMMON, SWEEP
from dln.stepsizes.tables import runs

Table = Mapping[str, NDArray]


def setting(r: View) -> str:
    """'(n, d, s) = ..., α = ... (ours), S data seeds, batch sizes ...' of the sweep."""
    S, n, d = r.X.shape
    s = int(np.count_nonzero(r.beta_star[0]))
    bs = ", ".join("n" if b >= n else str(int(b)) for b in r.batch_sizes)
    return (
        f"(n, d, s) = ({n}, {d}, {s}), α = {float(r.alpha):.3g} (ours: u0 = √2 α, v0 = 0), {S} data seeds, b ∈ {{{bs}}}"
    )


def method_name(batch_size: int, n: int) -> str:
    return f"GD (b = n = {n})" if batch_size >= n else f"SGD (b = {batch_size})"


def by_fraction(t: Table, sel: NDArray[np.bool_], values: NDArray) -> tuple[NDArray, NDArray]:
    """(fractions, values on a (runs, fractions) grid padded with NaN) of the selected runs."""
    fr = np.unique(t["fraction"][sel])
    cols = [values[sel & (t["fraction"] == f)] for f in fr]
    grid = np.full((max((len(c) for c in cols), default=0), fr.size), np.nan)
    for j, c in enumerate(cols):
        grid[: len(c), j] = c
    return fr, grid


def band_by_fraction(ax: Any, t: Table, sel: NDArray[np.bool_], values: NDArray, label: str) -> None:
    """Median and 10-90 % band over runs, per fraction gamma / gamma_max, of the selected runs."""
    fr, grid = by_fraction(t, sel, values)
    if fr.size:
        plot_band(ax, fr, grid, label=label, marker="o")


def sweep_mask(t: Table, batch_size: int, kind: int = SWEEP) -> NDArray[np.bool_]:
    return np.asarray(t["converged"] & (t["kind"] == kind) & (t["batch_size"] == batch_size))


def log_y(axes: Sequence[Any], ylabel: str) -> None:
    for ax in axes:
        ax.set_yscale("log")
        ax.set_ylabel(ylabel)
        ax.legend(fontsize=6)


# ----------------------------------------------------------------------------------- exact_implicit_problem
def plot_exact(axes: Sequence[Any], claim: ClaimInputs) -> None:
    """Left: sup-norm error of every converged run to the solution predicted from its tracked gains against
    gamma / gamma_max (x: alpha_inf not readable off the iterate in float64); right: the gain-identity score of
    every converged run; each with its check's threshold."""
    runs_m = {k: np.asarray(v) for k, v in claim.measured["converged_runs"].items()}
    method = runs_m["method"]
    x = runs_m["gamma_over_gamma_max"].astype(float)
    err = np.asarray([np.nan if e is None else e for e in claim.measured["converged_runs"]["sup_error"]], float)
    resolved = runs_m["resolved"].astype(bool)
    score = runs_m["gain_identity_score"].astype(float)
    for m in dict.fromkeys(method.tolist()):
        sel = method == m
        label = m.replace("_", " ")
        (dots,) = axes[0].plot(x[sel & resolved], np.maximum(err[sel & resolved], 1e-16), "o", ms=2, label=label)
        axes[0].plot(x[sel & ~resolved], np.maximum(err[sel & ~resolved], 1e-16), "x", ms=3, color=dots.get_color())
        axes[1].scatter(x[sel], np.maximum(score[sel], 1e-8), s=6, label=label)
    for ax, name in ((axes[0], "exact_every_method"), (axes[1], "gain_identity_every_method")):
        c = claim.check(name)
        ax.axhline(c["threshold"], color="k", ls="--", lw=1, label=f"check: {c['comparison']} {c['threshold']:g}")
        ax.set_xscale("log")
        ax.set_xlabel("$\\gamma / \\gamma_{\\max}$ of the method (per instance)")
    log_y(
        [axes[0]], "$\\|\\beta_K - \\mathrm{argmin}\\, D_{\\psi_{\\alpha_\\infty}}(\\cdot, \\tilde\\beta_0)\\|_\\infty$"
    )
    log_y([axes[1]], "gain identity score")


# ------------------------------------------------------------------------------ large_steps_help / hurt
def plot_test_by_fraction(ax: Any, r: View, t: Table, batch_sizes: Sequence[int]) -> None:
    """Test error of converged sweep runs against gamma / gamma_max, one band per batch size."""
    n = int(r.X.shape[1])
    for b in batch_sizes:
        band_by_fraction(ax, t, sweep_mask(t, b), t["test"], f"{method_name(b, n)}: median, 10-90 %")
    ax.set_xlabel("$\\gamma / \\gamma_{\\max}$ of the method (per instance)")


def plot_test_against_curvature(ax: Any, r: View, t: Table, batch_sizes: Sequence[int]) -> None:
    """Test error of converged sweep runs against gamma lambda_max(X^T X / n), one scatter per batch size."""
    n = int(r.X.shape[1])
    lam = r.lambda_max[t["data"]]
    for b in batch_sizes:
        sel = sweep_mask(t, b)
        ax.scatter(t["stepsize"][sel] * lam[sel], t["test"][sel], s=8, label=method_name(b, n))
    ax.set_xlabel("$\\gamma\\,\\lambda_{\\max}(X^\\top X / n)$")


def plot_seed_factors(ax: Any, factors: Mapping[str, float], check: Mapping[str, Any], ylabel: str) -> None:
    """One bar per data seed (the paired per-seed factor the verdict decides on), the check's threshold dashed."""
    seeds = list(factors)
    ax.bar(range(len(seeds)), [factors[k] for k in seeds], color="C0")
    ax.axhline(1.0, color="grey", lw=0.8)
    ax.axhline(
        check["threshold"],
        color="k",
        ls="--",
        lw=1,
        label=f"median over seeds {check['comparison']} {check['threshold']:g} (median {check['measured']:.3g})",
    )
    ax.set_xticks(range(len(seeds)), seeds)
    ax.set_xlabel("data seed")
    ax.set_yscale("log")
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=6)


def plot_window_runs(ax: Any, t: Table, rows: NDArray[np.bool_]) -> None:
    ax.scatter(
        t["stepsize"][rows] / t["gamma_max"][rows],
        t["test"][rows],
        s=10,
        c="C3",
        label="GD in $(\\gamma_{\\rm EoS}, \\gamma_{\\max}^{GD}]$",
        zorder=3,
    )


def plot_gd_against_eos(ax: Any, r: View, t: Table) -> None:
    """Test error of every converged GD run against gamma / gamma_EoS."""
    sel = t["converged"] & t["is_gd"]
    g_eos = r.gamma_eos[t["data"]]
    ax.scatter(t["stepsize"][sel] / g_eos[sel], t["test"][sel], s=8, c="C0", label="converged GD runs")
    ax.axvline(1.0, color="C3", ls="--", label="$\\gamma = \\gamma_{\\rm EoS} = 2 / S(w_{GF})$")
    ax.set_xlabel("$\\gamma / \\gamma_{\\rm EoS}$")


# ------------------------------------------------------------------------------------------------ gain_shape
def ordered_gains(r: View, t: Table, rows: NDArray[np.int64]) -> NDArray:
    """Per run: the gain with the support coordinates first (by |beta*|), then the others sorted by gain."""
    out = []
    for i in rows:
        g, sup = t["gain"][i], t["support"][i]
        bstar = np.abs(r.beta_star[t["data"][i]])
        on = np.flatnonzero(sup)[np.argsort(-bstar[sup])]
        off = np.flatnonzero(~sup)[np.argsort(-g[~sup])]
        out.append(g[np.concatenate([on, off])])
    return np.asarray(out)


def plot_gain_profile(ax: Any, r: View, t: Table, rows: NDArray[np.int64], name: str) -> None:
    """Median and 10-90 % band over runs of the ordered gain vector; the support shaded."""
    gains = ordered_gains(r, t, rows)
    s = int(np.count_nonzero(r.beta_star[0]))
    if gains.size:
        plot_band(ax, np.arange(gains.shape[1]), gains, label=f"{name}, {len(rows)} runs: median, 10-90 %", marker=".")
    ax.axvspan(-0.5, s - 0.5, color="grey", alpha=0.15, label="supp($\\beta^*$)")
    ax.set_yscale("log")
    ax.set_xlabel("coordinate: supp($\\beta^*$) by $|\\beta^*_i|$, then by gain")
    ax.legend(fontsize=6)


# ----------------------------------------------------------------------------------------- edge_of_stability
def plot_eos(axes: Sequence[Any], r: View, claim: ClaimInputs) -> None:
    """Loss per step and support coordinates of the two example runs, final sharpness of every converged GD run
    against 2 / gamma, and gamma S(w_k) along the examples (all sharpness values from the verdict)."""
    m = claim.measured
    seed = int(m["example_seed"])
    g_eos = float(r.gamma_eos[seed])
    rec = r.gd.record_steps
    sup = np.flatnonzero(r.beta_star[seed])
    last = 1
    for (name, ex), c in zip(m["examples"].items(), ("C0", "C3"), strict=False):
        i = int(ex["row"])
        label = f"{name}: γ = {ex['gamma_over_gamma_eos']:.2f} γ_EoS"
        loss = r.gd.dense_loss[i]
        axes[0].loglog(np.arange(1, loss.size + 1), loss, color=c, lw=0.6, label=label)
        beta_tr = r.gd.u_trace[i] * r.gd.v_trace[i]
        for j, k in enumerate(sup):
            axes[1].semilogx(np.maximum(rec, 1), beta_tr[:, k], color=c, lw=1, ls=["-", "--", ":"][j % 3])
        axes[1].plot([], [], color=c, label=f"{name}: support coordinates")
        axes[3].semilogx(
            np.maximum(ex["record_steps"], 1), ex["gamma_sharpness_trace"], "o-", ms=2, color=c, label=label
        )
        last = max(last, int(r.gd.steps[i]))
    axes[0].set_xlabel("iteration k")
    axes[0].set_ylabel("train loss $\\|X\\beta_k - y\\|^2 / (2n)$")
    axes[1].set_xlim(1, last)
    for k in sup:
        axes[1].axhline(r.beta_star[seed, k], color="grey", lw=0.5)
    axes[1].set_xlabel("iteration k (record steps)")
    axes[1].set_ylabel(f"$\\beta_{{k,i}}$, i ∈ supp($\\beta^*$) (seed {seed}, γ_EoS = {g_eos:.3g})")
    gd = {k: np.asarray(v) for k, v in m["converged_gd"].items()}
    inside = gd["in_window"].astype(bool)
    inv, S = gd["two_over_gamma"].astype(float), gd["sharpness"].astype(float)
    axes[2].loglog(inv[~inside], S[~inside], "o", ms=3, label="other converged GD runs")
    axes[2].loglog(
        inv[inside], S[inside], "o", ms=4, c="C3", label="GD runs in $(\\gamma_{\\rm EoS}, \\gamma_{\\max})$"
    )
    if inv.size:
        lim = [inv.min(), inv.max()]
        axes[2].plot(lim, lim, "k--", lw=1, label="$S = 2/\\gamma$")
    axes[2].set_xlabel("$2 / \\gamma$")
    axes[2].set_ylabel("final sharpness $S(w_\\infty)$")
    lo, hi = claim.check("window_sharpness_at_edge")["threshold"]
    axes[3].axhspan(lo, hi, color="C3", alpha=0.15, label=f"window band [{lo:g}, {hi:.3g}]")
    axes[3].set_xlabel("iteration k (record steps)")
    axes[3].set_ylabel("$\\gamma\\, S(w_k)$ along training")
    for ax in axes:
        ax.legend(fontsize=6)


# --------------------------------------------------------------------------------------- batch_size_and_gain
def plot_gain_by_fraction(axes: Sequence[Any], r: View) -> None:
    """||Gain||_1 of converged runs, one band per batch size: at gamma = f gamma_max(b) (left) and at the common
    stepsizes gamma = f gamma_max(b = 1) (right)."""
    t = runs(r)
    n = int(r.X.shape[1])
    l1 = np.sum(np.abs(t["gain"]), axis=1)
    for b in (int(b) for b in r.batch_sizes):
        band_by_fraction(axes[0], t, sweep_mask(t, b), l1, method_name(b, n))
        band_by_fraction(axes[1], t, sweep_mask(t, b, SWEEP if b == 1 else COMMON), l1, method_name(b, n))
    axes[0].set_xlabel("$\\gamma / \\gamma_{\\max}(b)$ (per instance)")
    axes[1].set_xlabel("$\\gamma / \\gamma_{\\max}(b = 1)$ (same $\\gamma$ for every b)")
    log_y(axes, "$\\|\\mathrm{Gain}\\|_1$ (median, 10-90 %)")
