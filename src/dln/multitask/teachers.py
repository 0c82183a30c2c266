"""Data and teachers of the paper: row-normalised Gaussian inputs, two sparse teachers sharing signs.

``circular_sample``: x ~ N(0, I_D) rescaled so that ||x||^2 = D (so E[x x^T] = I and the population loss of
beta is ||beta - beta*||^2). ``two_teachers``: a random permutation and random signs; the auxiliary teacher
has k1 entries s / sqrt(k1) on perm[:k1] (the MTL runs of the sparse experiment use s / k1, see
`dln.multitask.experiments`); the main teacher has k2 entries, the first ``overlap`` of them on
perm[:overlap] (shared features keep the auxiliary sign), the rest on perm[k1 : k1 + k2 - overlap], each of
magnitude ``main_scale(k2)`` (1/sqrt(k2) or 1/k2, see the config). ``pretrained_weights``: the exact +/-
weights reached by pretraining from alpha when beta_aux is recovered exactly (n_aux >= D).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def circular_sample(rng: np.random.Generator, n: int, d: int) -> Array:
    """n rows x ~ N(0, I_d), each rescaled to ||x||^2 = d."""
    x = rng.standard_normal((n, d))
    return np.asarray(x / np.sqrt(np.mean(x * x, axis=1, keepdims=True)))


def main_magnitude(k: int, normalisation: str) -> float:
    """|beta_main,i|: 'sqrt' gives 1/sqrt(k) (unit norm), 'linear' gives 1/k (the sparse experiments' data)."""
    if normalisation == "sqrt":
        return 1.0 / np.sqrt(k)
    if normalisation == "linear":
        return 1.0 / k
    raise ValueError(f"unknown teacher normalisation {normalisation!r}")


@dataclass(frozen=True)
class Draw:
    """One seed's random draw: the permutation, the signs and the data pools (shared by every run of the seed)."""

    perm: NDArray[np.int64]
    signs: Array
    X_aux: Array
    X_main: Array  # nested pool: a run with n main samples uses X_main[:n]


def draw(rng: np.random.Generator, d: int, k_aux: int, n_aux: int, n_main_max: int) -> Draw:
    """Permutation, signs, auxiliary inputs and a nested pool of main inputs, in this order."""
    perm = rng.permutation(d)
    signs = rng.choice([-1.0, 1.0], size=k_aux)
    X_aux = circular_sample(rng, n_aux, d)
    X_main = circular_sample(rng, n_main_max, d)
    return Draw(perm=perm, signs=signs, X_aux=X_aux, X_main=X_main)


def aux_teacher(dr: Draw, d: int, magnitude: float | None = None) -> Array:
    """Auxiliary teacher: k1 entries s * magnitude on perm[:k1]; magnitude 1/sqrt(k1) (unit norm) by default."""
    k1 = dr.signs.size
    beta = np.zeros(d)
    beta[dr.perm[:k1]] = dr.signs * (1.0 / np.sqrt(k1) if magnitude is None else magnitude)
    return beta


def main_teacher(dr: Draw, d: int, k_main: int, overlap: int, magnitude: float) -> Array:
    """Main teacher with k_main features, ``overlap`` of them on the auxiliary support (same signs)."""
    k1 = dr.signs.size
    if not (0 <= overlap <= min(k_main, k1)) or k_main > k1:
        raise ValueError(f"need 0 <= overlap <= k_main <= k_aux, got {overlap}, {k_main}, {k1}")
    support = np.concatenate([dr.perm[:overlap], dr.perm[k1 : k1 + k_main - overlap]])
    beta = np.zeros(d)
    beta[support] = dr.signs[:k_main] * magnitude
    return beta


def pretrained_weights(beta_aux: Array, alpha: float) -> tuple[Array, Array]:
    """(w+, w-) = (v+, v-) after pretraining from w = v = alpha to beta_aux exactly (conserved w^2 - v^2 = 0).

    w+ v+ - w- v- = beta_aux and w+ w- = alpha^2 (conserved product of the two balanced branches' growth).
    """
    root = np.sqrt(beta_aux * beta_aux + 4.0 * alpha**4)
    big = np.sqrt((np.abs(beta_aux) + root) / 2.0)
    small = alpha**2 / big  # w+ w- = alpha^2, without the cancellation of sqrt((-|b| + root) / 2)
    return np.where(beta_aux >= 0, big, small), np.where(beta_aux >= 0, small, big)
