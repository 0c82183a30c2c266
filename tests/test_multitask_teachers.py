"""The auxiliary teacher MTL trains beside each main teacher: 1/sqrt(k_aux) in the overlap experiment, 1/k_aux
(``common.sparse_mtl_aux: linear``, the authors' published runs) or 1/sqrt(k_aux) in the sparse experiment."""

from __future__ import annotations

import numpy as np
import pytest

from dln.multitask import experiments, teachers

SPEC = {
    "d": 60,
    "k_aux": 8,
    "n_aux": 64,
    "alpha": 1e-3,
    "n_main": [4, 8],
    "lr": 0.1,
    "threshold": 1e-10,
    "check_every": 5,
    "overlaps": [4, 8],
    "k_main": [2, 8],
}


@pytest.mark.parametrize(("mode", "sparse_aux"), [("linear", 1 / 8), ("sqrt", 1 / np.sqrt(8))])
def test_teacher_grid_aux_magnitude(mode: str, sparse_aux: float) -> None:
    grid = experiments.teacher_grid(SPEC | {"sparse_mtl_aux": mode})
    overlap_rows = grid.experiment == experiments.OVERLAP_EXP
    np.testing.assert_allclose(grid.aux_magnitude[overlap_rows], 1 / np.sqrt(8))
    np.testing.assert_allclose(grid.aux_magnitude[~overlap_rows], sparse_aux)
    nested = experiments.nested_grid(SPEC | {"sparse_mtl_aux": mode})
    np.testing.assert_allclose(nested.aux_magnitude, sparse_aux)


def test_default_is_the_published_protocol() -> None:
    assert experiments.sparse_mtl_aux_magnitude(SPEC) == pytest.approx(1 / 8)


def test_mtl_trains_each_column_beside_its_aux_teacher(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = {}

    def fake_train_gd(tasks, init, *args, **kwargs):
        seen["aux"] = tasks[0].beta_star.copy()
        raise RuntimeError("stop")

    monkeypatch.setattr(experiments, "train_gd", fake_train_gd)
    spec = SPEC | {"sparse_mtl_aux": "linear"}
    grid = experiments.teacher_grid(spec)
    dr = teachers.draw(np.random.default_rng(0), 60, 8, 64, 8)
    betas = experiments.main_teachers(dr, spec, grid)
    with pytest.raises(RuntimeError):
        experiments.mtl_seed(spec, dr, betas, np.full(grid.size, 3), grid.aux_magnitude)
    unit = teachers.aux_teacher(dr, 60)
    cols_t = np.repeat(np.arange(grid.size), len(spec["n_main"]))
    for c, t in enumerate(cols_t):
        np.testing.assert_allclose(seen["aux"][c], unit * grid.aux_magnitude[t] * np.sqrt(8))
    with pytest.raises(RuntimeError):  # without magnitudes: the unit-norm teacher, as before
        experiments.mtl_seed(spec, dr, betas, np.full(grid.size, 3))
    np.testing.assert_allclose(seen["aux"], np.tile(unit, (cols_t.size, 1)))
