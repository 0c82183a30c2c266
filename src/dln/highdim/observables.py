"""Observables as functions of a state, shared by SGD, HSGD and the limit solvers.

A state is per-coordinate arrays (last axis = coordinates, or particles / grid cells) with weights w summing
to one: lam, beta*, beta = u v, s = u^2 + v^2 and Delta = u^2 - v^2. SGD passes w = 1/d, the particle solver
type weight / N, the finite-volume solver type weight x density x dz. Averages are <f> = sum w f.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

NAMES = ("risk", "curvature", "sharpness", "grad_norm", "distance", "l1", "off_support")


@dataclass(frozen=True)
class State:
    w: Array
    lam: Array
    bstar: Array
    beta: Array
    s: Array
    delta: Array


def from_uv(u: Array, v: Array, lam: Array, bstar: Array) -> State:
    """State of raw weights (SGD, raw HSGD); uniform weights 1/d."""
    d = u.shape[-1]
    return State(np.full(d, 1.0 / d), lam, bstar, u * v, u * u + v * v, u * u - v * v)


def from_reduced(delta: Array, zeta: Array, w: Array, lam: Array, bstar: Array) -> State:
    """State of reduced coordinates: beta = |Delta|/2 sinh zeta, s = |Delta| cosh zeta."""
    a = np.abs(delta)
    return State(w, lam, bstar, 0.5 * a * np.sinh(zeta), a * np.cosh(zeta), delta)


def _avg(w: Array, f: Array) -> Array:
    return np.sum(w * f, axis=-1)


def risk(st: State, sigma: float) -> Array:
    """R = sigma^2/2 + <lam e^2>/2, e = beta - beta*."""
    e = st.beta - st.bstar
    return 0.5 * _avg(st.w, st.lam * e * e) + 0.5 * sigma**2


def curvature(st: State) -> Array:
    """Mean Hessian trace tr(nabla^2 R)/d (C2 units) = <lam s>."""
    return _avg(st.w, st.lam * st.s)


def sharpness(st: State) -> Array:
    """Top eigenvalue of the 2x2 Hessian blocks lam [[v^2, 2uv - b*], [2uv - b*, u^2]], max over coordinates
    carrying weight (above 1e-9 of the largest weight: the essential supremum of a density on a grid)."""
    top = 0.5 * st.lam * (st.s + np.sqrt(st.delta**2 + 4.0 * (2.0 * st.beta - st.bstar) ** 2))
    live = st.w > 1e-9 * np.max(st.w, axis=-1, keepdims=True)
    return np.max(np.where(live, top, -np.inf), axis=-1)


def grad_norm(st: State) -> Array:
    """Squared gradient norm per coordinate (C2 units): <lam^2 e^2 s>."""
    e = st.beta - st.bstar
    return _avg(st.w, st.lam**2 * e * e * st.s)


def distance(st: State) -> Array:
    """<(beta - beta*)^2>."""
    e = st.beta - st.bstar
    return _avg(st.w, e * e)


def l1(st: State) -> Array:
    """<|beta|>."""
    return _avg(st.w, np.abs(st.beta))


def off_support(st: State) -> Array:
    """<|beta| 1{beta* = 0}>."""
    return _avg(st.w, np.abs(st.beta) * (st.bstar == 0))


def all_observables(st: State, sigma: float) -> dict[str, Array]:
    """Every scalar observable of NAMES."""
    return {
        "risk": risk(st, sigma),
        "curvature": curvature(st),
        "sharpness": sharpness(st),
        "grad_norm": grad_norm(st),
        "distance": distance(st),
        "l1": l1(st),
        "off_support": off_support(st),
    }


def type_means(values: Array, label: NDArray[np.int64], n_types: int) -> Array:
    """Mean of ``values`` (..., n) over the coordinates of each type -> (..., n_types)."""
    counts = np.maximum(np.bincount(label, minlength=n_types), 1).astype(float)
    flat = np.asarray(values, dtype=float).reshape(-1, label.size)
    out = np.stack([np.bincount(label, weights=row, minlength=n_types) for row in flat]) / counts
    return out.reshape(np.shape(values)[:-1] + (n_types,))
