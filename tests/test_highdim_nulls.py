"""Every highdim null model is rejected on synthetic results for which its claim holds.

The synthetic arrays follow the simulations' declared layouts (`fill`), with the traces the claims read made to
behave as the theory says (SGD = limit + d^-1/2 fluctuations, the Delta law, exponential tails, floors); each
claim must hold on them and reject each of its null models through `dln.verdict.falsify`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pytest

from dln.highdim.predictions import late_rate, noise_floor
from dln.highdim.simulations import SIMULATIONS
from dln.layout import Group, Layout
from dln.registry import families
from dln.verdict import assess_claim, falsify

RNG = np.random.default_rng(11)
TIMES = np.linspace(0.0, 10.0, 41)
DIMS = (250, 500, 1000, 2000)
RUNS = 16
DIM_RUNS = {250: 2 * RUNS, 500: RUNS, 1000: RUNS, 2000: RUNS}  # runs may differ between d (config runs list)
GAMMA = 0.5


def fill(layout: Layout, sizes: Mapping[str, int], groups: Mapping[str, Mapping[int, Mapping[str, int]]] = {}):
    """Arrays for every non-optional field of ``layout`` (zeros of the declared shape and dtype); a group gets
    one instance per index of ``groups[name]``, with those dimension sizes added."""
    out: dict[str, Any] = {}

    def walk(lay: Layout, prefix: str, dims: Mapping[str, int]) -> None:
        for f in lay.fields:
            if not f.optional:
                shape = tuple(d if isinstance(d, int) else dims[d] for d in f.dims)
                out[prefix + f.key] = np.zeros(shape, dtype="<U8" if f.dtype == "str" else f.dtype)
        for g in lay.groups:
            assert isinstance(g, Group)
            for index, extra in groups.get(g.name, {}).items():
                walk(g.layout, prefix + g.key(index) + "/", {**dims, **extra})

    walk(layout, "", sizes)
    return out


def _curve(t: np.ndarray) -> np.ndarray:
    return 0.05 * np.exp(-0.3 * t) + 0.005


def _runs(centre: np.ndarray, scale: float, n: int = RUNS) -> np.ndarray:
    """Runs about ``centre`` with relative fluctuations of size ``scale`` (the same pattern at every scale, so
    that errors scale exactly with it), smooth in time."""
    phase = np.linspace(0.0, 2 * np.pi, n, endpoint=False)[:, None]
    amp = np.linspace(-1.5, 1.5, n)[:, None]
    return centre * (1.0 + scale * amp * np.sin(0.7 * TIMES[None, : centre.size] + phase))


def _types(a: dict, prefix: str, lam: np.ndarray, bstar: np.ndarray, label: np.ndarray) -> None:
    weight = np.bincount(label, minlength=lam.size) / label.size
    a |= {f"{prefix}types/lam": lam, f"{prefix}types/bstar": bstar, f"{prefix}types/label": label}
    a |= {f"{prefix}types/weight": weight, f"{prefix}types/delta0": np.full(lam.size, 0.02)}


def _delta_law(a: dict, prefix: str, lam: np.ndarray, runs: int) -> None:
    """SGD's int R and a log Delta ratio that obeys the Delta law to 0.5 %."""
    risk = a[f"{prefix}sgd/risk"]
    dt = TIMES[1] - TIMES[0]
    int_risk = np.concatenate([np.zeros((runs, 1)), np.cumsum(0.5 * (risk[:, 1:] + risk[:, :-1]) * dt, axis=1)], 1)
    law = -2.0 * GAMMA**2 * lam[None, None, :] * int_risk[:, :, None]
    a[f"{prefix}sgd/int_risk"] = int_risk
    a[f"{prefix}sgd/log_delta_ratio"] = law * (1.0 + 0.005 * np.sin(TIMES)[None, :, None])


def dimension_sweep() -> dict:
    grid = np.linspace(-3.0, 3.0, 601)
    sizes = {"T": TIMES.size, "D": len(DIMS), "snaps": 2, "hsgd_runs": 64, "types": 2}
    groups = {"per_d": {d: {"d": d, "runs": DIM_RUNS[d], "cells": grid.size} for d in DIMS}}
    a = fill(SIMULATIONS["dimension_sweep"].layout, sizes, groups)
    a |= {"times": TIMES, "dims": np.asarray(DIMS), "gamma": GAMMA, "batch": 1.0, "snapshot_times": np.array([2.0, 8])}
    limit = _curve(TIMES)
    lam, bstar = np.ones(2), np.array([0.0, 1.0])
    density = np.exp(-0.5 * grid**2) / np.sqrt(2 * np.pi)
    for d in DIMS:
        p, reps = f"d{d}/", DIM_RUNS[d] // RUNS
        label = (np.arange(d) % 10 == 0).astype(np.int64)
        _types(a, p, lam, bstar, label)
        for name in ("risk", "curvature", "l1", "distance", "grad_norm"):
            a[p + f"fv/{name}"] = limit
            a[p + f"sgd/{name}"] = np.tile(_runs(limit, 1.5 / np.sqrt(d)), (reps, 1))  # same mean error per run
        _delta_law(a, p, lam, DIM_RUNS[d])
        a[p + "fv/grid"] = grid
        a[p + "fv/density_snapshots"] = np.broadcast_to(density, (2, 2, grid.size)).copy()
        a[p + "sgd/zeta_snapshots"] = RNG.standard_normal((2, DIM_RUNS[d], d))
    a["hsgd/risk"] = _runs(limit, 0.01, 64)
    a["particles/risk"] = limit * 1.002
    return a


def anisotropic(d: int = 2000) -> dict:
    lam, bstar = np.array([0.5, 0.5, 1.5, 1.5]), np.array([0.0, 1.0, 0.0, -1.0])
    sizes = {"T": TIMES.size, "d": d, "runs": 8, "types": 4, "cells": 100}
    a = fill(SIMULATIONS["two_level"].layout, sizes) | {"times": TIMES, "gamma": GAMMA, "batch": 1.0}
    _types(a, "", lam, bstar, np.arange(d) % 4)
    a["fv/risk"] = _curve(TIMES)
    a["sgd/risk"] = _runs(a["fv/risk"], 0.03, 8)
    _delta_law(a, "", lam, 8)
    return a


def stepsize_sweep() -> dict:
    gammas, factors, sigma = np.array([0.25, 0.5, 1.0, 2.0]), np.array([0.5, 0.75, 1.33]), 0.1
    sizes = {"T": TIMES.size, "G": 4, "F": 3}
    groups = {
        "per_gamma": {i: {"runs": 4, "d": 100, "types": 2, "cells": 10} for i in range(4)},
        "per_factor": {i: {"runs": 4, "d": 100, "types": 2} for i in range(3)},
    }
    a = fill(SIMULATIONS["stepsize_sweep"].layout, sizes, groups)
    a |= {"times": TIMES, "gammas": gammas, "critical_factors": factors, "gamma_c": 10.0, "sigma": sigma}
    start = 0.055

    def floor_trace(level: float) -> np.ndarray:
        return level + (start - level) * np.exp(-2.0 * TIMES)

    for i, g in enumerate(gammas):
        level = float(noise_floor(sigma, g, 0.2))
        a[f"g{i}/fv/curvature"] = np.full(TIMES.size, 0.2)
        a[f"g{i}/fv/risk"] = floor_trace(level)
        a[f"g{i}/sgd/curvature"] = np.full((4, TIMES.size), 0.2)
        a[f"g{i}/sgd/risk"] = _runs(floor_trace(level), 0.005, 4)
    for i, f in enumerate(factors):
        level = float(noise_floor(sigma, 10.0 * f, 0.2)) if f < 1 else 0.05
        a[f"c{i}/sgd/risk"] = _runs(floor_trace(level), 0.005, 4)
        a[f"c{i}/sgd/curvature"] = np.full((4, TIMES.size), 0.2)
        if f < 1:
            for name in ("risk", "curvature", "sharpness", "grad_norm", "distance", "l1", "off_support", "int_risk"):
                a[f"c{i}/particles/{name}"] = np.zeros(TIMES.size)
            a[f"c{i}/particles/log_delta_ratio"] = np.zeros((TIMES.size, 2))
            a[f"c{i}/particles/risk"] = floor_trace(level)
            a[f"c{i}/particles/curvature"] = np.full(TIMES.size, 0.2)
    return a


def alpha_sweep() -> dict:
    alphas, horizons = np.array([0.3, 1.0]), np.array([30.0, 10.0])
    groups = {"per_alpha": {i: {"T": 61, "runs": 6, "d": 100, "types": 2} for i in range(2)}}
    a = fill(SIMULATIONS["alpha_sweep"].layout, {"A": 2}, groups) | {"alphas": alphas, "gamma": GAMMA}
    for i, horizon in enumerate(horizons):
        t = np.linspace(0.0, horizon, 61)
        p = f"a{i}/"
        _types(a, p, np.ones(2), np.array([0.0, 1.0]), (np.arange(100) % 10 == 0).astype(np.int64))
        a[p + "types/delta0"] = np.full(2, 2 * alphas[i] ** 2)
        w, lam, bstar, delta = a[p + "types/weight"], np.ones(2), a[p + "types/bstar"], a[p + "types/delta0"]
        rate = late_rate(w, lam, bstar, delta, GAMMA)
        risk = 0.05 * np.exp(-rate * t) + 0.05 * np.exp(-5.0 * rate * t)
        a[p + "times"] = t
        a[p + "particles/risk"] = risk
        a[p + "sgd/risk"] = risk[None, :] * (1.0 + 0.002 * RNG.standard_normal((6, 1)))
    return a


SYNTHETIC = {
    "dimension_sweep": dimension_sweep,
    "two_level": anisotropic,
    "power_law": anisotropic,
    "stepsize_sweep": stepsize_sweep,
    "alpha_sweep": alpha_sweep,
}
FAMILY = families()["highdim"]


@pytest.mark.parametrize("claim_id", sorted(FAMILY.claims))
def test_claim_holds_and_rejects_every_null(claim_id: str) -> None:
    claim = FAMILY.claims[claim_id]
    arrays = {name: SYNTHETIC[name]() for name in claim.simulations}
    verdict = assess_claim(FAMILY, claim, arrays, {name: {} for name in claim.simulations})
    expected = set(claim.known_deviations)  # our failed predictions fail on theory-like data too
    assert set(verdict.unexpected_failures) == set(), [c.text() for c in verdict.checks if not c.passed]
    assert {c.name for c in verdict.checks if not c.passed} <= expected
    outcomes = falsify(FAMILY, claim, arrays, {name: {} for name in claim.simulations})
    assert outcomes, f"{claim_id} registers no null model"
    for o in outcomes:
        assert o.informative and o.rejected, (o.name, o.failed_checks)


def test_null_transforms_keep_what_they_must() -> None:
    from dln.highdim import null_arrays as na

    t = np.linspace(0.0, 20.0, 41)
    risk = np.stack([np.exp(-0.3 * t), 2 * np.exp(-0.5 * t)])
    # same end points over the late window, unchanged before it, power-law / stretched shapes inside
    for exponent in (None, 0.5):
        tail = na.tail_replaced(t, risk, 10.0, exponent)
        late = t >= 10.0
        np.testing.assert_allclose(tail[:, ~late], risk[:, ~late])
        np.testing.assert_allclose(tail[:, late][:, [0, -1]], risk[:, late][:, [0, -1]])
        assert not np.allclose(tail, risk)
    power = na.tail_replaced(t, risk, 10.0, None)[0, late]
    np.testing.assert_allclose(np.diff(np.log(power)) / np.diff(np.log(t[late])), np.log(np.exp(-3.0)) / np.log(2))
    # a clock 5 % fast: R(1.05 t), held at the horizon
    np.testing.assert_allclose(na.time_warped(t, risk, 1.05)[0, :30], np.exp(-0.3 * 1.05 * t[:30]), rtol=1e-2)
    # spread about each type's mean, per snapshot and run
    z = RNG.standard_normal((2, 3, 100))
    labels = np.arange(100) % 2
    wide = na.spread_scaled(z, labels, 1.1)
    for k in (0, 1):
        np.testing.assert_allclose(wide[..., labels == k].mean(-1), z[..., labels == k].mean(-1))
        np.testing.assert_allclose(wide[..., labels == k].std(-1), 1.1 * z[..., labels == k].std(-1))
