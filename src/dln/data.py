"""Synthetic sparse regression problems: Gaussian design and a sparse teacher beta*."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Problem:
    """A noiseless regression instance y = X beta* with its support."""

    X: Array  # (n, d)
    y: Array  # (n,)
    beta_star: Array  # (d,)
    support: NDArray[np.int64]  # (s,), sorted

    @property
    def n(self) -> int:
        return int(self.X.shape[0])

    @property
    def d(self) -> int:
        return int(self.X.shape[1])

    def loss(self, beta: Array) -> Array:
        """Train loss ||X beta - y||^2 / (2n), batched over leading axes of ``beta``."""
        r = beta @ self.X.T - self.y
        return np.asarray(0.5 * np.mean(r * r, axis=-1))

    def test_error(self, beta: Array) -> Array:
        """||beta - beta*||^2 (the population excess risk for isotropic centred x)."""
        diff = beta - self.beta_star
        return np.asarray(np.sum(diff * diff, axis=-1))


def sparse_teacher(rng: np.random.Generator, d: int, s: int, scale: float = 1.0) -> tuple[Array, NDArray]:
    """beta* with exactly ``s`` non-zeros N(0, scale^2) on a support drawn without replacement."""
    if not 0 < s <= d:
        raise ValueError(f"sparsity s={s} must satisfy 0 < s <= d={d}")
    support = np.sort(rng.choice(d, size=s, replace=False))
    beta = np.zeros(d)
    beta[support] = scale * rng.standard_normal(s)
    return beta, support


def gaussian_design(rng: np.random.Generator, n: int, d: int, mean: float = 0.0) -> Array:
    """X with i.i.d. N(mean, 1) entries."""
    return np.asarray(mean + rng.standard_normal((n, d)))


def row_scale_profile(n: int, spread: float) -> Array:
    """Row scales log-spaced over [1/spread, spread], normalised to mean square 1 (so diag(H) ~ 1).

    spread = 1 gives the isotropic design; larger spreads make the problem ill-conditioned and slow the
    convergence of (S)GD without changing the average curvature.
    """
    if spread < 1:
        raise ValueError(f"row-scale spread must be >= 1, got {spread}")
    scales = np.geomspace(1.0 / spread, spread, n)
    return np.asarray(scales / np.sqrt(np.mean(scales**2)))


def make_problem(
    rng: np.random.Generator,
    n: int,
    d: int,
    s: int,
    *,
    mean: float = 0.0,
    row_spread: float = 1.0,
    teacher_scale: float = 1.0,
) -> Problem:
    """Draw (X, beta*) from ``rng`` (teacher first, then design) and return the noiseless problem, with its
    rows rescaled by `rescale_rows` when ``row_spread`` > 1."""
    beta_star, support = sparse_teacher(rng, d, s, teacher_scale)
    X = gaussian_design(rng, n, d, mean)
    problem = Problem(X=X, y=X @ beta_star, beta_star=beta_star, support=support)
    return problem if row_spread == 1.0 else rescale_rows(problem, row_spread)


def rescale_rows(problem: Problem, spread: float) -> Problem:
    """The same problem with rows multiplied by `row_scale_profile` (same interpolators, slower dynamics).

    Row scaling leaves {beta : X beta = y} unchanged, so any change in the learned solution comes from the
    training dynamics alone.
    """
    scales = row_scale_profile(problem.n, spread)
    return Problem(
        X=problem.X * scales[:, None], y=problem.y * scales, beta_star=problem.beta_star, support=problem.support
    )
