"""Closed-form predictions for single-task training of the +/- network: STL, PT+FT (any c, gamma), LP.

Gradient flow from any (w+, v+, w-, v-) keeps beta_i = A_i e^{-2 z_i} - B_i e^{2 z_i} with z in the row space
of X, where A = ((w+ + v+)^2 + (w- - v-)^2)/4 and B = ((w+ - v+)^2 + (w- + v-)^2)/4 at the start. Writing
this as a^2 sinh(c - 2z) with a^2 = 2 sqrt(AB) and a^2 sinh(c) = A - B shows that the limit is the
hyperbolic-entropy interpolator with alpha^2 = 2 sqrt(AB) and reference point A - B, which
`dln.interpolation.interpolator` solves by dual Newton.

Linear probing (w frozen) is linear: beta = beta0 - K X^T(...) with K = w+^2 + w-^2, so the GD iterate after T
steps has the spectral closed form used in `linear_probe`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from dln.interpolation import interpolator

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Init:
    """Initial weights of a single-task +/- network (arrays of shape (D,) or broadcastable)."""

    w_pos: Array
    v_pos: Array
    w_neg: Array
    v_neg: Array

    @property
    def beta(self) -> Array:
        return np.asarray(self.w_pos * self.v_pos - self.w_neg * self.v_neg)


def stl_init(d: int, alpha: float) -> Init:
    """Every weight at alpha (beta = 0)."""
    a = np.full(d, alpha)
    return Init(a, a.copy(), a.copy(), a.copy())


def ptft_init(w_pos: Array, w_neg: Array, c: float, gamma: float) -> Init:
    """Pretrained first layer rescaled by c, readouts reset to gamma."""
    g = np.full(w_pos.shape, gamma)
    return Init(c * w_pos, g, c * w_neg, g.copy())


def coefficients(init: Init) -> tuple[Array, Array]:
    """(A, B) of the gradient-flow solution beta = A e^{-2z} - B e^{2z}."""
    a = ((init.w_pos + init.v_pos) ** 2 + (init.w_neg - init.v_neg) ** 2) / 4.0
    b = ((init.w_pos - init.v_pos) ** 2 + (init.w_neg + init.v_neg) ** 2) / 4.0
    return np.asarray(a), np.asarray(b)


def gradient_flow_limit(X: Array, y: Array, init: Init) -> Array:
    """The interpolator gradient flow reaches from ``init`` (exact for any, also asymmetric, initialisation)."""
    a, b = coefficients(init)
    scale = np.sqrt(2.0 * np.sqrt(a * b))
    with np.errstate(over="ignore", invalid="ignore"):  # rejected Newton trial points may overflow
        return interpolator(X, y, scale, reference=a - b)


@dataclass(frozen=True)
class ProbeResult:
    """A linear probe run: the iterate where it stops, when, its train MSE, and the minimum over checkpoints."""

    beta: Array
    steps: int  # first step with train MSE below the threshold, else the cap
    train_mse: float
    # min of the population loss ||beta_t - beta*||^2 over the checkpoints t = 0, every, 2 every, ... and the
    # last step (the authors' validation every 50 epochs and after the last one); nan without ``beta_star``
    min_loss: float


CHECKPOINT_BLOCK = 512  # checkpoints evaluated per BLAS product in `_min_over_checkpoints` (bounds its memory)


def linear_probe(
    X: Array,
    y: Array,
    init: Init,
    lr: float,
    max_steps: int,
    threshold: float,
    beta_star: Array | None = None,
    check_every: int = 50,
) -> ProbeResult:
    """GD on the readouts only (first layer frozen), exactly after T steps, T = first step with MSE < threshold.

    Loss mean((X beta - y)^2): beta_{t+1} = beta_t - lr K (2/n) X^T r_t, r = X beta - y, K = w+^2 + w-^2.
    With X K X^T = U diag(lam) U^T: r_T = U (1 - a lam)^T U^T r_0 (a = 2 lr / n) and
    beta_T = beta_0 - K X^T U diag((1 - (1 - a lam)^T) / lam) U^T r_0.
    ``beta_star``: also the minimum of the population loss over the checkpoints, exactly (the test loss of a
    probe is not monotone in T: its metric is K's, not the identity).
    """
    n = X.shape[0]
    k = init.w_pos**2 + init.w_neg**2
    beta0 = init.beta
    lam, U = np.linalg.eigh((X * k) @ X.T)
    lam = np.clip(lam, 0.0, None)
    coef = U.T @ (X @ beta0 - y)
    a = 2.0 * lr / n
    factor = 1.0 - a * lam
    if np.any(np.abs(factor) > 1.0):
        raise ValueError("linear probe diverges at this learning rate")

    def mse(t: int) -> float:
        return float(np.sum((factor**t * coef) ** 2) / n)

    lo, hi = 0, int(max_steps)
    if mse(hi) >= threshold:
        t = hi
    else:  # smallest t with mse(t) < threshold (mse decreases in t)
        while lo < hi:
            mid = (lo + hi) // 2
            lo, hi = (mid + 1, hi) if mse(mid) >= threshold else (lo, mid)
        t = lo
    moves = k[:, None] * (X.T @ U)  # beta_T = beta_0 - moves (_summed(T) coef)
    beta = beta0 - moves @ (_summed(lam, a, np.array([t]))[0] * coef)
    best = math.nan
    if beta_star is not None:
        checkpoints = np.unique(np.append(np.arange(0, t + 1, int(check_every)), t))
        best = _min_over_checkpoints(moves, coef, lam, a, beta0 - np.asarray(beta_star), checkpoints)
    return ProbeResult(beta=np.asarray(beta), steps=t, train_mse=mse(t), min_loss=best)


def _summed(lam: Array, a: float, steps: NDArray[np.int64]) -> Array:
    """(1 - (1 - a lam)^t) / lam for every t in ``steps`` (rows), a t where lam = 0; through expm1 / log1p where
    a lam < 1/2 (no cancellation for slow modes), by the power where the factor 1 - a lam may be negative."""
    t, x = steps.astype(float)[:, None], (a * lam)[None, :]
    slow = x < 0.5
    with np.errstate(divide="ignore", invalid="ignore"):
        decayed = np.where(slow, -np.expm1(t * np.log1p(-np.where(slow, x, 0.0))), 1.0 - (1.0 - x) ** t)
        return np.where(x > 0.0, decayed / lam[None, :], a * t)


def _min_over_checkpoints(
    moves: Array, coef: Array, lam: Array, a: float, e0: Array, steps: NDArray[np.int64]
) -> float:
    """min over t in ``steps`` of ||e0 - moves (_summed(t) coef)||^2, the probe's population loss at step t.

    Through a QR of ``moves`` (D x n) the D-dimensional error splits into its part off moves' range, constant,
    and n coordinates on it: n^2 work per checkpoint, in blocks of `CHECKPOINT_BLOCK`, sums of squares only."""
    q, r = np.linalg.qr(moves)
    on = q.T @ e0
    perp = e0 - q @ on
    off = float(perp @ perp)
    best = math.inf
    for i in range(0, steps.size, CHECKPOINT_BLOCK):
        resid = on[None, :] - (_summed(lam, a, steps[i : i + CHECKPOINT_BLOCK]) * coef[None, :]) @ r.T
        best = min(best, float(np.min(np.einsum("ij,ij->i", resid, resid))))
    return off + best
