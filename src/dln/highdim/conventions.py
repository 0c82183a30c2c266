"""Unit conversion between the scaling conventions of the high-dimensional literature.

C1 (ours): x = K^{1/2} z / sqrt(d), step gamma, noise sigma, risk R = E l. C2 (Paquette-style): x ~ N(0, K),
step gamma/d, noise sigma sqrt(d), risk d R. C3: x ~ N(0, K), beta* = b/sqrt(d), (u, v) scaled by d^{-1/4},
step gamma/sqrt(d), noise sigma, risk R. All three give the same trajectory of the dimensionless state,
so a reader holding the paper can map its units onto ours with these functions.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Units:
    """Stepsize (as multiplied into the per-sample gradient), label noise sd, and the risk scale factor."""

    step: float
    sigma: float
    risk_factor: float
    weight_scale: float = 1.0


def from_c1(gamma: float, sigma: float, d: int, convention: str) -> Units:
    """C1 parameters expressed in ``convention`` (C1, C2 or C3)."""
    if convention == "C1":
        return Units(gamma, sigma, 1.0)
    if convention == "C2":
        return Units(gamma / d, sigma * d**0.5, float(d))
    if convention == "C3":
        return Units(gamma / d**0.5, sigma, 1.0, d**-0.25)
    raise ValueError(f"unknown convention {convention!r}")


def to_c1(units: Units, d: int, convention: str) -> tuple[float, float]:
    """(gamma, sigma) in C1 from a stepsize and noise level given in ``convention``."""
    if convention == "C1":
        return units.step, units.sigma
    if convention == "C2":
        return units.step * d, units.sigma / d**0.5
    if convention == "C3":
        return units.step * d**0.5, units.sigma
    raise ValueError(f"unknown convention {convention!r}")
