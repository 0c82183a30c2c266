"""A synthetic sweep in the stepsizes family's layout in which every claim but exact_implicit_problem holds.

Built without training (milliseconds): the real planner (`plan_rows`) lays out the runs, and each run's final
weights, gains and dense losses are set to what the claims say. Tests use it to check that each null model of
the family is rejected, and that a check fails when its sub-statement is made false. exact_implicit_problem needs
the consistency of trained weights and tracked gains, so its nulls are tested on a tiny trained sweep instead.
"""

from __future__ import annotations

import numpy as np

from dln.stepsizes.gain import weights_with
from dln.stepsizes.sharpness import sharpness
from dln.stepsizes.sweep import COMMON, EOS_BELOW, EOS_WINDOW, KINDS, SWEEP, plan_rows

SEEDS, N, D, S_SUPPORT = 6, 4, 8, 2
ALPHA = 0.1
BATCH_SIZES = np.array([1, 2, N])
FRACTIONS = np.array([0.2, 0.5, 0.7, 0.9, 1.0])
DENSE = 300
WINDOW_GAMMA_S = 1.99  # gamma S(w_inf) of the window runs
# the window run sits at gamma_w = 1.99 / S(w_w) with gamma_EoS = gamma_w / 1.2 and gamma_max^GD = 1.2 gamma_w
EOS_T = (1 - 1 / 1.2) / (1.2 - 1 / 1.2)


def _test_error(batch: int, fraction: float, stepsize: float, gamma_eos: float) -> float:
    """GD: mild growth below gamma_EoS, a jump above; SGD: 10x better from 0.7 gamma_max on."""
    if batch >= N:
        return 0.5 if stepsize > gamma_eos else 1e-2 * (1 + 0.2 * fraction)
    return 1e-3 if fraction >= 0.7 - 1e-9 else 1e-2


def _gain(batch: int, fraction: float, support: np.ndarray, h: np.ndarray) -> np.ndarray:
    """GD: on the support; SGD: nearly flat (1 + 0.2 diag(X^T X / n) / mean). Per unit gamma flat up to 0.5
    gamma_max, then exploding (x31 at gamma_max); smaller for larger batches at equal gamma."""
    size = fraction * (1 + 30 * fraction**8) / np.sqrt(batch)
    shape = np.where(support, 10.0, 1.0) if batch >= N else 1.0 + 0.2 * h / h.mean()
    return size * shape / shape.mean()


def _dense(kind: int) -> np.ndarray:
    loss = np.geomspace(1.0, 1e-12, DENSE)
    if kind == EOS_WINDOW:  # period-2 oscillation over 200 steps
        loss[20:220:2] *= 3.0
    return loss


def synthetic_sweep() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    X = rng.standard_normal((SEEDS, N, D))
    beta_star = np.zeros((SEEDS, D))
    beta_star[:, :S_SUPPORT] = [1.0, -0.8]
    y = np.einsum("snd,sd->sn", X, beta_star)
    h = np.einsum("snd,snd->sd", X, X) / N
    support = beta_star != 0
    # the window runs' solution fixes gamma_EoS and gamma_max^GD (see EOS_T)
    direction = rng.standard_normal((SEEDS, D))
    direction /= np.linalg.norm(direction, axis=1, keepdims=True)

    def weights(s: int, test: float, gain: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        beta = beta_star[s] + np.sqrt(test) * direction[s]
        return weights_with(beta, 2 * ALPHA**2 * np.exp(-gain))

    win_u, win_v = zip(*(weights(s, 0.5, _gain(N, 1.0, support[s], h[s])) for s in range(SEEDS)), strict=True)
    gamma_w = np.array([WINDOW_GAMMA_S / float(sharpness(X[s], win_u[s], win_v[s])) for s in range(SEEDS)])
    gamma_eos, gmax_gd = gamma_w / 1.2, gamma_w * 1.2
    gamma_max = np.stack([gmax_gd / 4.0, gmax_gd / 3.0, gmax_gd])
    rows = plan_rows(gamma_max, BATCH_SIZES, N, gamma_eos, FRACTIONS, 2, 0.9, np.array([EOS_T]))

    G = len(rows["kind"])
    u, v = np.zeros((G, D)), np.zeros((G, D))
    gain = np.zeros((G, D))
    dense = np.zeros((G, DENSE))
    for i in range(G):
        s, b, k, f = int(rows["data"][i]), int(rows["batch_size"][i]), int(rows["kind"][i]), rows["fraction"][i]
        dense[i] = _dense(k)
        if k == EOS_WINDOW:
            gain[i], u[i], v[i] = _gain(N, 1.0, support[s], h[s]), win_u[s], win_v[s]
            continue
        gain[i] = _gain(b, float(f), support[s], h[s])
        u[i], v[i] = weights(s, _test_error(b, float(f), float(rows["stepsize"][i]), float(gamma_eos[s])), gain[i])
    out: dict[str, np.ndarray] = {
        "X": X,
        "y": y,
        "beta_star": beta_star,
        "alpha": np.asarray(ALPHA),
        "batch_sizes": BATCH_SIZES,
        "lambda_max": np.ones(SEEDS),
        "beta_gf": beta_star.copy(),
        "gamma_eos": gamma_eos,
        "gamma_max": gamma_max,
        "gamma_max_upper": gamma_max * 1.01,
        "gamma_max_capped": np.zeros(gamma_max.shape, dtype=bool),
        "gamma_max_horizon": np.ones(3),
        "gamma_max_rule": np.array(["synthetic"] * 3),
        "kinds": np.asarray(KINDS),
    }
    record_steps = np.array([0, 10, DENSE], dtype=np.int64)
    for part, sel in (("gd", rows["batch_size"] >= N), ("sgd", rows["batch_size"] < N)):
        idx = np.flatnonzero(sel)
        n_rows = idx.size
        fields = {
            "u": u[idx],
            "v": v[idx],
            "status": np.zeros(n_rows, dtype=np.int8),
            "steps": np.full(n_rows, DENSE, dtype=np.int64),
            "time": np.ones(n_rows),
            "increment_sum": np.zeros((n_rows, D)),
            "final_loss": np.full(n_rows, 1e-24),
            "record_steps": record_steps,
            "loss_trace": np.ones((n_rows, 3)),
            "test_trace": np.ones((n_rows, 3)),
            "gain": gain[idx],
            "gain_plus": gain[idx],
            **{k: val[idx] for k, val in rows.items()},
        }
        if part == "gd":
            fields["dense_loss"] = dense[idx]
            fields["u_trace"] = np.repeat(u[idx][:, None], 3, axis=1)
            fields["v_trace"] = np.repeat(v[idx][:, None], 3, axis=1)
        out |= {f"{part}/{k}": np.asarray(val) for k, val in fields.items()}
    assert set(rows["kind"]) == {SWEEP, COMMON, EOS_BELOW, EOS_WINDOW}
    return out
