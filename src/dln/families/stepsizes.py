"""Claim family: large stepsizes, exact implicit regularisation and edge of stability (Even et al. 2023).

One simulation, ``sweep`` (`dln.stepsizes.sweep`), feeds every claim: per data seed and method (batch size, GD
= b >= n) the largest convergent stepsize gamma_max on a fixed time horizon, then stepsizes at fractions of it,
the same absolute stepsizes for every batch size, and GD runs below and inside the edge-of-stability window.
The verdict numerics are the pure functions of `dln.stepsizes.verdicts`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from dln.registry import Arrays, Assessment, ClaimSpec, Family, SimulationSpec, Spec
from dln.stepsizes import verdicts as V
from dln.stepsizes.gain import gain_identity_error, gain_identity_score, support_ratio
from dln.stepsizes.sweep import run_sweep
from dln.stepsizes.tables import COMMON, EOS_BELOW, EOS_WINDOW, SWEEP, exact_errors, final_sharpness, resolvable, runs

PAPER = "Even, Pesme, Gunasekar, Flammarion 2023 (NeurIPS)"
UID_SWEEP = 300


def simulate_sweep(spec: Spec, seed: int) -> Arrays:
    """gamma_max search, stepsize sweep over methods x seeds, common-stepsize and edge-of-stability runs."""
    return run_sweep(spec, seed, UID_SWEEP)


def method_label(batch_size: int, n: int) -> str:
    """'gd' for full batches, otherwise 'sgd_b<b>'."""
    return "gd" if batch_size >= n else f"sgd_b{batch_size}"


def _n(r: Mapping[str, NDArray]) -> int:
    return int(r["X"].shape[1])


# ------------------------------------------------------------------------------------------- assessments
def assess_exact_implicit_problem(results: Mapping[str, Arrays], specs: Mapping[str, Spec]) -> Assessment:
    r = results["sweep"]
    t = runs(r)
    rows = np.flatnonzero(t["converged"])
    labels = np.array([method_label(int(b), _n(r)) for b in t["batch_size"][rows]])
    err = exact_errors(r, t, rows)
    u, v, alpha = t["u"][rows], t["v"][rows], float(r["alpha"])
    gerr = gain_identity_error(t["gain"][rows], u, v, alpha)
    gscore = gain_identity_score(t["gain"][rows], u, v, alpha, t["steps"][rows], V.GAIN_ALPHA_RTOL)
    required = tuple(method_label(int(b), _n(r)) for b in r["batch_sizes"])
    a = V.exact_implicit_verdict(labels, err, gerr, gscore, resolvable(u, v), required)
    a.measured["runs_total"] = int(t["status"].size)
    a.measured["runs_converged"] = int(rows.size)
    return a


def sweep_rows(t: Mapping[str, NDArray], batch_size: int) -> NDArray[np.bool_]:
    """Converged runs of the main sweep (fractions of the method's own gamma_max) with this batch size."""
    return np.asarray(t["converged"] & (t["kind"] == SWEEP) & (t["batch_size"] == batch_size))


def _gd_batch(r: Mapping[str, NDArray]) -> int:
    return int(next(b for b in r["batch_sizes"] if b >= _n(r)))


def assess_large_steps_help_sgd(results: Mapping[str, Arrays], specs: Mapping[str, Spec]) -> Assessment:
    t = runs(results["sweep"])
    sel = sweep_rows(t, 1)
    return V.help_sgd_verdict(t["fraction"][sel], t["test"][sel], t["data"][sel])


def window_rows(r: Mapping[str, NDArray], t: Mapping[str, NDArray]) -> NDArray[np.bool_]:
    """Converged GD runs with gamma_EoS < gamma <= gamma_max^GD (dedicated window runs and sweep points)."""
    g_eos = r["gamma_eos"][t["data"]]
    gd = t["is_gd"] & t["converged"] & np.isin(t["kind"], (SWEEP, EOS_WINDOW))
    return np.asarray(gd & (t["stepsize"] > g_eos) & (t["stepsize"] <= t["gamma_max"] * (1 + 1e-12)))


def assess_large_steps_hurt_gd(results: Mapping[str, Arrays], specs: Mapping[str, Spec]) -> Assessment:
    r = results["sweep"]
    t = runs(r)
    gd, sgd, win = sweep_rows(t, _gd_batch(r)), sweep_rows(t, 1), window_rows(r, t)
    a = V.hurt_gd_verdict(
        t["fraction"][gd],
        t["test"][gd],
        t["data"][gd],
        t["test"][win],
        t["data"][win],
        t["fraction"][sgd],
        t["test"][sgd],
        seeds=int(r["beta_star"].shape[0]),
    )
    a.measured["gamma_max_capped_by_grid"] = {
        method_label(int(b), _n(r)): int(c.sum()) for b, c in zip(r["batch_sizes"], r["gamma_max_capped"], strict=True)
    }
    a.measured["median_gamma_max_gd_over_gamma_eos"] = float(np.median(r["gamma_max"][-1] / r["gamma_eos"]))
    a.measured["median_gamma_max_gd_over_sgd_b1"] = float(np.median(r["gamma_max"][-1] / r["gamma_max"][0]))
    return a


def gain_ratios(t: Mapping[str, NDArray], batch_size: int) -> NDArray:
    lo, hi = V.GAIN_SHAPE_WINDOW
    sel = sweep_rows(t, batch_size) & (t["fraction"] >= lo - 1e-12) & (t["fraction"] <= hi + 1e-12)
    return np.asarray(support_ratio(t["gain"][sel], t["support"][sel]))


def assess_gain_shape(results: Mapping[str, Arrays], specs: Mapping[str, Spec]) -> Assessment:
    r = results["sweep"]
    t = runs(r)
    return V.gain_shape_verdict(gain_ratios(t, _gd_batch(r)), gain_ratios(t, 1))


def eos_inputs(r: Mapping[str, NDArray]) -> dict[str, NDArray]:
    """Dense losses, gamma S(w_K) and status of the dedicated GD runs below and inside the EoS window."""
    t = runs(r)
    gd_rows = int(r["gd/status"].size)  # GD rows come first in the table and carry the dense losses
    out = {}
    for name, kind in (("window", EOS_WINDOW), ("below", EOS_BELOW)):
        rows = np.flatnonzero(t["kind"][:gd_rows] == kind)
        out[f"{name}_loss"] = r["gd/dense_loss"][rows]
        out[f"{name}_sharpness"] = final_sharpness(r, t, rows)
        out[f"{name}_converged"] = t["converged"][rows]
        out[f"{name}_rows"] = rows
        g_eos = r["gamma_eos"][t["data"][rows]]
        out[f"{name}_position"] = np.stack([t["stepsize"][rows] / g_eos, t["gamma_max"][rows] / g_eos], axis=-1)
    return out


def assess_edge_of_stability(results: Mapping[str, Arrays], specs: Mapping[str, Spec]) -> Assessment:
    e = eos_inputs(results["sweep"])
    return V.eos_verdict(
        e["window_loss"],
        e["window_sharpness"],
        e["window_converged"],
        e["below_loss"],
        e["below_sharpness"],
        e["window_position"],
    )


def gain_curves(r: Mapping[str, NDArray]) -> tuple[dict[int, NDArray], dict[int, NDArray], NDArray]:
    """Median ||Gain||_1 over converged runs per batch size: at common stepsizes f gamma_max(b=1), and at f
    gamma_max(b); NaN where no run converged."""
    t = runs(r)
    fr = np.unique(t["fraction"][t["kind"] == SWEEP])
    l1 = np.sum(np.abs(t["gain"]), axis=1)

    def curve(kind_sel: NDArray, b: int) -> NDArray:
        sel = kind_sel & t["converged"] & (t["batch_size"] == b)
        return np.array(
            [
                np.median(l1[sel & np.isclose(t["fraction"], f)])
                if (sel & np.isclose(t["fraction"], f)).any()
                else np.nan
                for f in fr
            ]
        )

    bs = [int(b) for b in r["batch_sizes"]]
    sweep = {b: curve(t["kind"] == SWEEP, b) for b in bs}
    common = {b: sweep[b] if b == 1 else curve(t["kind"] == COMMON, b) for b in bs}
    return common, sweep, fr


def assess_batch_size_and_gain(results: Mapping[str, Arrays], specs: Mapping[str, Spec]) -> Assessment:
    common, sweep, fr = gain_curves(results["sweep"])
    return V.batch_gain_verdict(common, sweep, fr)


def _claim(cid: str, statement: str, assess) -> ClaimSpec:  # noqa: ANN001
    return ClaimSpec(cid, PAPER, statement, ("sweep",), assess)


FAMILY = Family(
    name="stepsizes",
    title="Large stepsizes, exact implicit regularisation and edge of stability",
    paper=PAPER,
    simulations={
        "sweep": SimulationSpec(
            "sweep",
            UID_SWEEP,
            simulate_sweep,
            "gamma_max per seed and method, then stepsize x seed x batch-size sweep with EoS runs",
        )
    },
    claims={
        "exact_implicit_problem": _claim(
            "exact_implicit_problem",
            "For every converged GD and SGD run (b in {1, 2, 5, n}) across stepsizes, the trained beta equals "
            "argmin_{X beta = y} D_{psi_alpha_inf}(beta, beta~0) to sup-norm 1e-6, and the tracked gain equals the "
            "gain recovered from the final iterate.",
            assess_exact_implicit_problem,
        ),
        "large_steps_help_sgd": _claim(
            "large_steps_help_sgd",
            "SGD (b = 1): the median test error at gamma in [0.7, 1] gamma_max^SGD is at least 5x lower than at "
            "0.2 gamma_max^SGD.",
            assess_large_steps_help_sgd,
        ),
        "large_steps_hurt_gd": _claim(
            "large_steps_hurt_gd",
            "GD's test error does not improve with gamma; inside (gamma_EoS, gamma_max^GD) it is at least 10x its "
            "small-gamma value; at >= 0.9 of each method's gamma_max GD's median test error is >= 10x SGD's.",
            assess_large_steps_hurt_gd,
        ),
        "gain_shape": _claim(
            "gain_shape",
            "At gamma/gamma_max in [0.5, 1], mean gain on supp(beta*) over mean gain off it is >= 5 for GD and "
            "<= 3 for SGD (b = 1).",
            assess_gain_shape,
        ),
        "edge_of_stability": _claim(
            "edge_of_stability",
            "For gamma in (gamma_EoS, gamma_max^GD) the GD loss is non-monotone for >= 100 consecutive steps and "
            "gamma S(w_inf) is in [1.95, 2]; below gamma_EoS the loss is monotone after a transient and "
            "gamma S < 2.",
            assess_edge_of_stability,
        ),
        "batch_size_and_gain": _claim(
            "batch_size_and_gain",
            "The gain ||Gain||_1 decreases with the batch size at equal gamma, grows with gamma, and explodes only "
            "near gamma_max.",
            assess_batch_size_and_gain,
        ),
    },
)
