"""The batched engine (numba kernels and numpy program) against the one-run-one-step oracle, on the same streams."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from dln.reference import reference_run
from dln.training import (
    CONVERGED,
    DIVERGED,
    STALLED,
    Engine,
    Method,
    Stopping,
    Tracking,
    TrainResult,
    choose_engine,
    record_grid,
    train,
)

TOL = 1e-12
ENGINES: tuple[Engine, ...] = ("numba", "numpy")
NO_STOP = Stopping(stop_loss=-1.0)


def _problems(S: int = 3, n: int = 8, d: int = 12, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((S, n, d))
    beta_star = np.zeros((S, d))
    beta_star[:, :2] = rng.standard_normal((S, 2))
    return X, np.einsum("snd,sd->sn", X, beta_star), beta_star


def _rngs(G: int, offset: int = 0) -> list[np.random.Generator]:
    return [np.random.default_rng(1000 + offset + i) for i in range(G)]


def _grid(G: int, d: int, alpha: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    return np.full((G, d), np.sqrt(2.0) * alpha), np.zeros((G, d))


def _check_against_reference(
    res: TrainResult,
    method: Method,
    X: np.ndarray,
    y: np.ndarray,
    data_index: np.ndarray,
    gammas: np.ndarray,
    u0: np.ndarray,
    v0: np.ndarray,
    batch: np.ndarray | None = None,
    substep: float | None = None,
    offset: int = 0,
    rows: np.ndarray | None = None,
) -> None:
    """Each run's final (u, v) equals the oracle's after the same number of steps on the same stream."""
    for i in range(len(data_index)) if rows is None else rows:
        s = data_index[i]
        u, v = reference_run(
            method,
            X[s],
            y[s],
            float(gammas[i]),
            u0[i],
            v0[i],
            int(res.steps[i]),
            np.random.default_rng(1000 + offset + i),
            batch_size=None if batch is None else int(batch[i]),
            substep=substep,
        )
        np.testing.assert_allclose(res.u[i], u, rtol=0, atol=TOL)
        np.testing.assert_allclose(res.v[i], v, rtol=0, atol=TOL)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("method", "batch", "substep"),
    [
        ("gd", None, None),
        ("sgd", 1, None),
        ("sgd", "mixed", None),
        ("sgf", None, 0.004),
    ],
    ids=["gd", "sgd_b1", "sgd_mixed", "sgf"],
)
def test_matches_reference(engine: Engine, method: Method, batch: object, substep: float | None) -> None:
    X, y, bstar = _problems()
    S, n, d = X.shape
    G = 6
    di = np.array([0, 1, 2, 2, 1, 0])
    gammas = np.array([0.01, 0.02, 0.03, 0.015, 0.025, 0.005])
    bsz = np.array([1, 3, n, 5, 1, 2 * n]) if batch == "mixed" else None if batch is None else np.full(G, batch)
    u0, v0 = _grid(G, d)
    res = train(
        method,
        X,
        y,
        bstar,
        di,
        gammas,
        u0,
        v0,
        700,
        None if method == "gd" else _rngs(G),
        batch_size=bsz,
        substep=substep,
        stopping=NO_STOP,
        block=64,
        engine=engine,
    )
    assert np.all(res.steps == 700)
    _check_against_reference(res, method, X, y, di, gammas, u0, v0, bsz, substep)
    dt = np.full(G, substep) if substep is not None else gammas
    np.testing.assert_allclose(res.time, 700 * dt, rtol=1e-12)


@pytest.mark.parametrize("engine", ENGINES)
def test_time_matched_budgets(engine: Engine) -> None:
    """Per-run budgets ceil(H / gamma): each run takes exactly its own budget, on its own stream."""
    X, y, bstar = _problems()
    d = X.shape[2]
    gammas = np.array([0.01, 0.013, 0.02, 0.05])
    budget = np.ceil(6.0 / gammas).astype(np.int64)
    di = np.array([0, 1, 2, 0])
    u0, v0 = _grid(4, d)
    res = train(
        "sgd",
        X,
        y,
        bstar,
        di,
        gammas,
        u0,
        v0,
        budget,
        _rngs(4),
        batch_size=1,
        stopping=NO_STOP,
        block=50,
        engine=engine,
    )
    np.testing.assert_array_equal(res.steps, budget)
    np.testing.assert_array_equal(res.record_steps, record_grid(int(budget.max()), 60))
    _check_against_reference(res, "sgd", X, y, di, gammas, u0, v0, np.ones(4, dtype=np.int64))


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("method", ["sgd", "gd", "sgf"])
def test_early_stopping_and_divergence(engine: Engine, method: Method) -> None:
    """Converged runs stop at a block end, a diverging run is marked and poisons no other run."""
    X, y, bstar = _problems(S=2, n=6, d=10)
    d = X.shape[2]
    gammas = np.array([0.05, 0.05, 5.0, 0.02])
    di = np.array([0, 1, 0, 1])  # the diverging run shares its problem (and its group) with run 0
    u0, v0 = _grid(4, d, alpha=0.3)
    h = np.array([0.01, 0.01, 3.0, 0.01]) if method == "sgf" else None  # SGF diverges by its drift step
    budget = 40_000 if method == "sgf" else 20_000
    stop = Stopping(stop_loss=1e-8, converged_loss=1e-6, diverge_bound=1e6)
    res = train(
        method,
        X,
        y,
        bstar,
        di,
        gammas,
        u0,
        v0,
        budget,
        _rngs(4),
        batch_size=1,
        substep=h,
        stopping=stop,
        block=32,
        tracking=Tracking(loss_integral=True, gain=True, dense_loss_steps=100),
        engine=engine,
    )
    assert res.status[2] == DIVERGED
    ok = np.array([0, 1, 3])
    assert np.all(res.status[ok] == CONVERGED)
    assert np.all(res.steps[ok] < budget)  # stopped early ...
    assert np.all(res.final_loss[ok] <= 1e-8)
    for arr in (
        res.u,
        res.v,
        res.increment_sum,
        res.loss_trace,
        res.test_trace,
        res.gain,
        res.loss_integral,
        res.extras["dense_loss"],
    ):
        assert arr is not None
        assert np.all(np.isfinite(arr[ok]))  # ... and the diverged row poisoned nothing
    assert not np.any(np.isinf(res.loss_trace[2]))  # diverged traces hold finite values or NaN, never inf
    batch = np.ones(4, dtype=np.int64) if method == "sgd" else None
    _check_against_reference(res, method, X, y, di, gammas, u0, v0, batch, substep=0.01, rows=ok)


def test_status_stalled_when_budget_too_short() -> None:
    X, y, bstar = _problems()
    u0, v0 = _grid(1, X.shape[2])
    res = train("gd", X, y, bstar, np.array([0]), np.array([0.01]), u0, v0, 5, None)
    assert res.status[0] == STALLED and res.steps[0] == 5


def test_engines_agree_on_every_tracked_quantity() -> None:
    """gain, loss integral, dense loss, weight snapshots and traces: numba == numpy to round-off."""
    X, y, bstar = _problems()
    d = X.shape[2]
    G = 5
    di = np.array([0, 1, 2, 0, 1])
    gammas = np.array([0.01, 0.02, 0.03, 0.04, 0.02])
    bsz = np.array([1, 2, 1, 8, 4])
    u0, v0 = _grid(G, d)
    track = Tracking(gain=True, loss_integral=True, dense_loss_steps=150, weights=True)
    cases: list[tuple[Method, dict[str, Any]]] = [("sgd", {"batch_size": bsz}), ("sgf", {"substep": 0.003}), ("gd", {})]
    for method, kw in cases:
        out = {
            eng: train(
                method,
                X,
                y,
                bstar,
                di,
                gammas,
                u0,
                v0,
                400,
                _rngs(G),
                tracking=track,
                stopping=NO_STOP,
                n_records=12,
                block=40,
                engine=eng,
                **kw,
            )
            for eng in ENGINES
        }
        a, b = out["numba"], out["numpy"]
        for name in ("u", "v", "increment_sum", "gain", "loss_integral", "time", "loss_trace", "test_trace"):
            np.testing.assert_allclose(getattr(a, name), getattr(b, name), rtol=1e-10, atol=TOL, err_msg=name)
        for key in ("dense_loss", "u_trace", "v_trace"):
            np.testing.assert_allclose(a.extras[key], b.extras[key], rtol=1e-10, atol=TOL, err_msg=key)
        np.testing.assert_array_equal(a.steps, b.steps)


def test_tracked_quantities_against_reference() -> None:
    """dense loss = L after k oracle steps; loss integral = sum of dt L_k; snapshots = oracle at record steps."""
    X, y, bstar = _problems()
    d = X.shape[2]
    gammas = np.array([0.02, 0.03])
    di = np.array([0, 1])
    u0, v0 = _grid(2, d)
    K = 120
    res = train(
        "sgd",
        X,
        y,
        bstar,
        di,
        gammas,
        u0,
        v0,
        K,
        _rngs(2),
        batch_size=1,
        stopping=NO_STOP,
        n_records=8,
        tracking=Tracking(loss_integral=True, dense_loss_steps=K, weights=True),
    )
    assert res.loss_integral is not None
    for i in range(2):
        s = di[i]
        for k in (0, 1, 17, K - 1):
            u, v = reference_run("sgd", X[s], y[s], gammas[i], u0[i], v0[i], k, np.random.default_rng(1000 + i), 1)
            r = X[s] @ (u * v) - y[s]
            assert res.extras["dense_loss"][i, k] == pytest.approx(0.5 * np.mean(r * r), rel=1e-10, abs=TOL)
        assert res.loss_integral[i] == pytest.approx(gammas[i] * res.extras["dense_loss"][i].sum(), rel=1e-12)
        for t, k in enumerate(res.record_steps):
            u, v = reference_run("sgd", X[s], y[s], gammas[i], u0[i], v0[i], int(k), np.random.default_rng(1000 + i), 1)
            np.testing.assert_allclose(res.extras["u_trace"][i, t], u, rtol=0, atol=TOL)
            np.testing.assert_allclose(res.extras["v_trace"][i, t], v, rtol=0, atol=TOL)


def test_results_do_not_depend_on_grid_composition() -> None:
    """A run's stream is its own: training it alone or among others gives the same numbers."""
    X, y, bstar = _problems()
    d = X.shape[2]
    u0, v0 = _grid(3, d)
    gammas = np.array([0.01, 0.02, 0.03])
    di = np.array([0, 1, 2])
    all_runs = train("sgd", X, y, bstar, di, gammas, u0, v0, 300, _rngs(3), batch_size=1, stopping=NO_STOP)
    alone = train(
        "sgd",
        X,
        y,
        bstar,
        di[1:2],
        gammas[1:2],
        u0[1:2],
        v0[1:2],
        300,
        _rngs(1, offset=1),
        batch_size=1,
        stopping=NO_STOP,
    )
    np.testing.assert_array_equal(all_runs.u[1], alone.u[0])
    np.testing.assert_array_equal(all_runs.v[1], alone.v[0])


def test_progress_reports_and_leaves_results_unchanged(capsys: pytest.CaptureFixture[str]) -> None:
    X, y, bstar = _problems()
    u0, v0 = _grid(2, X.shape[2])
    kw: dict[str, Any] = dict(batch_size=1, stopping=NO_STOP)
    quiet = train("sgd", X, y, bstar, np.array([0, 1]), np.full(2, 0.01), u0, v0, 500, _rngs(2), progress=False, **kw)
    assert capsys.readouterr().err == ""
    loud = train("sgd", X, y, bstar, np.array([0, 1]), np.full(2, 0.01), u0, v0, 500, _rngs(2), progress=True, **kw)
    err = capsys.readouterr().err
    assert "100%" in err and "\r" not in err  # plain lines when stderr is not a terminal
    np.testing.assert_array_equal(quiet.u, loud.u)


def test_engine_choice_and_validation() -> None:
    assert choose_engine("sgd", 20, 30, 1) == "numba"
    assert choose_engine("gd", 20, 30, 20) == "numba"
    assert choose_engine("gd", 200, 1000, 200) == "numpy"
    X, y, bstar = _problems()
    u0, v0 = _grid(1, X.shape[2])
    with pytest.raises(ValueError, match="engine"):
        train("gd", X, y, bstar, np.array([0]), np.array([0.01]), u0, v0, 5, None, engine="fortran")  # type: ignore[arg-type]


@pytest.mark.parametrize(("method", "loss_integral"), [("gd", True), ("gd", False), ("sgf", True)])
def test_grouped_kernel_matches_reference(method: Method, loss_integral: bool) -> None:
    """Many runs on one problem take the grouped (matrix-product) kernel; unequal budgets freeze some mid-block.

    GD without the loss integral switches to the Gram form (d < 2n here) once the dense-loss steps are done.
    """
    X, y, bstar = _problems(S=2)
    d = X.shape[2]
    G = 2 * 9  # 9 runs per problem: above MIN_GROUP
    gammas = np.tile(np.linspace(0.005, 0.04, 9), 2)
    di = np.repeat([0, 1], 9)
    budget = np.ceil(10.0 / gammas).astype(np.int64) if method == "gd" else np.arange(300, 300 + 23 * G, 23)
    h = 0.004 if method == "sgf" else None
    u0, v0 = _grid(G, d)
    track = Tracking(gain=True, loss_integral=loss_integral, dense_loss_steps=64, weights=True)
    out = {
        eng: train(
            method,
            X,
            y,
            bstar,
            di,
            gammas,
            u0,
            v0,
            budget,
            _rngs(G),
            substep=h,
            stopping=NO_STOP,
            block=48,
            n_records=10,
            tracking=track,
            engine=eng,
        )
        for eng in ENGINES
    }
    np.testing.assert_array_equal(out["numba"].steps, budget)
    _check_against_reference(out["numba"], method, X, y, di, gammas, u0, v0, substep=h)
    a, b = out["numba"], out["numpy"]
    names = ("increment_sum", "gain", "loss_integral", "time", "loss_trace", "test_trace")
    for name in names if loss_integral else tuple(x for x in names if x != "loss_integral"):
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), rtol=1e-10, atol=TOL, err_msg=name)
    for key in ("dense_loss", "u_trace", "v_trace"):
        np.testing.assert_allclose(a.extras[key], b.extras[key], rtol=1e-10, atol=TOL, err_msg=key)
