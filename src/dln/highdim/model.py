"""Problem laws in convention C1: diagonal covariance K = diag(lam), target beta*, initialisation.

Coordinates interact only through the scalar risk, so the limit sees a coordinate only through its *type*
(lam_i, beta*_i, Delta_i(0), zeta_i(0)). `coordinate_types` groups the coordinates of a finite problem into
types with weights (log-uniform bins of lam for a continuous law, e.g. the power law; each type carries the
mean lam of its coordinates, so <lam> and the initial risk are exact).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def covariance(
    d: int, kind: str = "isotropic", levels: tuple[float, float] = (0.5, 1.5), exponent: float = 0.5
) -> Array:
    """Diagonal of K (mean 1). isotropic: ones; two_level: first half levels[0], second half levels[1];
    power_law: lam_i proportional to (i/d)^(-exponent), normalised to mean 1."""
    if kind == "isotropic":
        return np.ones(d)
    if kind == "two_level":
        lam = np.where(np.arange(d) < d // 2, levels[0], levels[1]).astype(float)
        return lam / lam.mean()
    if kind == "power_law":
        lam = ((np.arange(d) + 1.0) / d) ** (-exponent)
        return lam / lam.mean()
    raise ValueError(f"unknown covariance kind {kind!r} (isotropic, two_level, power_law)")


def sparse_target(d: int, rho: float, b: float = 1.0, lam: Array | None = None, opposite_signs: bool = False) -> Array:
    """beta*_i = b on floor(rho d) evenly spread coordinates (so every lam level gets its share), 0 elsewhere.
    With ``opposite_signs`` the sign is -1 where lam is above its median."""
    k = int(np.floor(rho * d))
    idx = np.floor(np.arange(k) * d / max(k, 1)).astype(int)
    bstar = np.zeros(d)
    bstar[idx] = b
    if opposite_signs and lam is not None:
        bstar[lam > np.median(lam)] *= -1.0
    return bstar


@dataclass(frozen=True)
class Problem:
    """One streaming problem in C1: x = K^{1/2} z / sqrt(d), y = <x, beta*> + sigma xi."""

    lam: Array
    bstar: Array
    u0: Array
    v0: Array
    gamma: float
    sigma: float
    batch: int = 1

    @property
    def d(self) -> int:
        return int(self.lam.size)


def make_problem(spec: Mapping[str, Any], d: int, **overrides: Any) -> Problem:
    """Problem of dimension d from a config slice (covariance, rho, b, alpha, gamma, sigma, batch)."""
    s = {**spec, **overrides}
    lam = covariance(
        d,
        str(s.get("covariance", "isotropic")),
        tuple(s.get("levels", (0.5, 1.5))),  # type: ignore[arg-type]
        float(s.get("exponent", 0.5)),
    )
    bstar = sparse_target(d, float(s["rho"]), float(s.get("b", 1.0)), lam, bool(s.get("opposite_signs", False)))
    alpha = float(s["alpha"])
    return Problem(
        lam=lam,
        bstar=bstar,
        u0=np.full(d, np.sqrt(2.0) * alpha),
        v0=np.zeros(d),
        gamma=float(s["gamma"]),
        sigma=float(s.get("sigma", 0.0)),
        batch=int(s.get("batch", 1)),
    )


@dataclass(frozen=True)
class TypeLaw:
    """Coordinate types of the limit: weight, lam, beta*, Delta(0), zeta(0) per type; ``label`` maps each
    coordinate of the finite problem to its type."""

    weight: Array
    lam: Array
    bstar: Array
    delta0: Array
    zeta0: Array
    label: NDArray[np.int64]

    @property
    def n_types(self) -> int:
        return int(self.weight.size)


def reduced_coordinates(u: Array, v: Array) -> tuple[Array, Array]:
    """(Delta, zeta) = (u^2 - v^2, arcsinh(2 u v / |Delta|)), elementwise."""
    delta = u * u - v * v
    with np.errstate(divide="ignore", invalid="ignore"):
        zeta = np.arcsinh(2.0 * u * v / np.abs(delta))
    return delta, zeta


def coordinate_types(problem: Problem, lam_bins: int = 0) -> TypeLaw:
    """Group coordinates by (lam, beta*, u0, v0). ``lam_bins > 0`` groups by log-uniform bin of lam instead of
    its value (quadrature of a continuous law; a type's lam is the mean over its coordinates); 0 keeps exact
    values."""
    lam_key = problem.lam
    if lam_bins > 0 and np.unique(lam_key).size > lam_bins:
        edges = np.geomspace(lam_key.min(), lam_key.max(), lam_bins + 1)
        lam_key = np.clip(np.searchsorted(edges, lam_key, side="right") - 1, 0, lam_bins - 1).astype(float)
    delta0, zeta0 = reduced_coordinates(problem.u0, problem.v0)
    table = np.stack([lam_key, problem.bstar, delta0, zeta0], axis=1)
    uniq, label = np.unique(table, axis=0, return_inverse=True)
    label = label.ravel().astype(np.int64)
    counts = np.bincount(label, minlength=uniq.shape[0])
    lam = np.bincount(label, weights=problem.lam, minlength=uniq.shape[0]) / counts  # exact <lam> per type
    return TypeLaw(counts / label.size, lam, uniq[:, 1], uniq[:, 2], uniq[:, 3], label)
