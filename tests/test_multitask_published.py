"""The published results of Lippl & Lindsey (2024) as package data, and the per-cell comparison with ours
(`dln.multitask.published`, issue 12): the CSV against its header, the comparison on synthetic arrays, the
agreement checks failing where they should, the fairness of the seed-noise criterion, the paper-scale switch."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import yaml

from dln.multitask import published as P
from dln.multitask.relative import PAPER_N

ROOT = Path(__file__).resolve().parents[1]


def test_csv_matches_its_header() -> None:
    pub = P.load()
    assert pub.repository == "https://github.com/sflippl/multi-task"
    assert re.fullmatch(r"[0-9a-f]{40}", pub.commit)
    assert sorted(pub.files) == sorted(
        f"data/processed/diagonal/df_diagonal_{x}.feather" for x in ("overlap", "scaling", "sparse_overlap")
    )
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in pub.files.values())
    (rows_line,) = [h for h in pub.header if h.startswith("rows: ")]
    assert pub.rows == int(rows_line.split(": ")[1]) == 3600
    assert any("minimum over the logged test checkpoints" in h for h in pub.header)
    col = pub.columns
    assert set(col["seed"]) == set(range(6)) and set(col["n"]) == set(PAPER_N)
    assert set(col["method"]) == {"stl", "mtl", "ptft", "lp_ptft", "lp_stl"}
    np.testing.assert_allclose(col["relative"], col["loss"] / col["baseline"], rtol=1e-6)
    stl16 = (col["method"] == "stl") & (col["n"] == 16)
    np.testing.assert_allclose(col["relative"][stl16], 1.0, rtol=1e-6)  # the baseline is STL at n = 16
    # every cell has the 6 seeds: (overlap exp: 5 methods x 4 overlaps; sparse: 5 methods x 5 k x 2 + PT+FT at
    # 3 rescalings x 5 k x 2) x 6 n
    keys = ("experiment", "method", "c", "k", "overlap", "n")
    cells = {tuple(str(col[key][i]) for key in keys) for i in range(pub.rows)}  # str: NaN c compares equal
    assert len(cells) * 6 == pub.rows == (20 + 50 + 30) * 6 * 6
    assert pub.seeds("sparse", "ptft", 0.1, 5, 5, 32).size == 6
    assert pub.seeds("sparse", "mtl", None, 5, 0, 32).size == 6
    assert pub.seeds("overlap", "stl", None, 40, 10, 32).size == 0  # the paper has no such cell


def test_package_data_is_declared() -> None:
    text = (ROOT / "pyproject.toml").read_text()
    assert '"multitask/published/*.csv"' in text


def _cell(row: int, method: str, k: int, overlap: int, n: int, experiment: str = "sparse") -> P.Cell:
    return P.Cell(method, row, PAPER_N.index(n), experiment, method, None, k, overlap, n, exact=True)


CELLS = [  # synthetic teacher rows 0-4
    _cell(0, "mtl", 5, 5, 64),
    _cell(1, "mtl", 40, 40, 64),
    _cell(2, "stl", 40, 20, 256, "overlap"),
    _cell(3, "lp_stl", 40, 40, 512, "overlap"),
    _cell(4, "stl", 5, 0, 16),
]


def _samples_like_published(cells: list[P.Cell], factor: float = 1.0) -> dict[str, np.ndarray]:
    """Synthetic arrays (seeds, teachers, 6 n) holding the published seeds of each cell (times ``factor``)."""
    pub = P.load()
    out: dict[str, np.ndarray] = {}
    for cell in cells:
        arr = out.setdefault(cell.label, np.full((6, len(cells), len(PAPER_N)), np.nan))
        arr[:, cell.row, cell.position] = factor * pub.seeds(
            cell.experiment, cell.method, cell.c, cell.k, cell.overlap, cell.n
        )
    return out


def test_comparison_of_identical_seeds_agrees() -> None:
    records = P.compare(_samples_like_published(CELLS), CELLS)
    assert [r.name for r in records] == [c.name for c in CELLS]
    for r in records:
        assert r.ratio == pytest.approx(1.0) and r.ours_seeds == r.published_seeds == 6
        assert r.above_floor and r.noise is not None and r.noise.agrees and r.noise.resolvable
        lo, hi = r.to_json()["seed_noise_interval"]
        assert lo <= 1.0 <= hi
    checks, report = P.agreement(records, CELLS, checked=True)
    assert all(c.passed for c in checks) and {c.name for c in checks} == set(P.CHECKS)
    assert report["fraction_within_3x"] == 1.0 and report["decided_cells_outside_seed_noise"] == []


def test_agreement_checks_can_fail() -> None:
    """Ours 5x the published seeds: outside seed noise on the tight cells (the STL n = 16 plateau, 2 % spread),
    beyond 3x everywhere; 20x on one cell breaks the 10x bound. Off the paper's sizes nothing is checked."""
    off = P.compare(_samples_like_published(CELLS, factor=5.0), CELLS)
    checks, report = P.agreement(off, CELLS, checked=True)
    failed = {c.name for c in checks if not c.passed}
    assert failed == {P.CHECK_3X, P.CHECK_NOISE}
    assert "STL, sparse k=5 overlap=0, n=16" in report["decided_cells_outside_seed_noise"]
    samples = _samples_like_published(CELLS)
    samples["stl"][:, 4, PAPER_N.index(16)] *= 20.0
    checks, report = P.agreement(P.compare(samples, CELLS), CELLS, checked=True)
    assert not next(c for c in checks if c.name == P.CHECK_10X).passed
    assert report["worst_cells"][0] == "STL, sparse k=5 overlap=0, n=16"
    checks, report = P.agreement(off, CELLS, checked=False)
    assert checks == [] and not report["checked"] and len(report["cells"]) == len(CELLS)


@pytest.mark.parametrize("sigma", [0.02, 0.5, 2.0])
def test_seed_noise_criterion_is_fair(sigma: float) -> None:
    """Two independent sets of 6 seeds of one simulator (log-normal losses, spread sigma in ln) agree on a cell
    at the claimed rate 1 - ALPHA (>= 99 %; 300 trials: at most 9 failures is within binomial noise)."""
    rng = np.random.default_rng(12)
    fails = 0
    for _ in range(300):
        a, b = np.exp(sigma * rng.standard_normal(6)), np.exp(sigma * rng.standard_normal(6))
        fails += not P.seed_noise(a, b, rng).agrees
    assert fails <= 9


def test_seed_noise_has_power_and_knows_its_limits() -> None:
    rng = np.random.default_rng(3)
    a = np.exp(0.1 * rng.standard_normal(6))
    assert not P.seed_noise(5 * a, np.exp(0.1 * rng.standard_normal(6)), rng).agrees
    three = P.seed_noise(5 * a[:3], a, rng)  # 3 vs 6 seeds: no split is rarer than 1/84 > ALPHA
    assert not three.resolvable and three.agrees


def _specs(path: str) -> dict[str, dict]:
    section = yaml.safe_load((ROOT / path).read_text())["multitask"]
    return {s: {**section["common"], **section[s]} for s in ("single_task", "mtl", "nested")}


def test_paper_scale_is_decided_by_the_config() -> None:
    paper, small = _specs("config.yaml"), _specs("config.small.yaml")
    assert P.paper_scale(paper, ("single_task", "mtl")) and P.paper_scale(paper, ("nested",))
    assert not P.paper_scale(small, ("single_task", "mtl")) and not P.paper_scale(small, ("nested",))
    assert not P.paper_scale({}, ("nested",))


def _records(ours: list[np.ndarray], theirs: list[np.ndarray], rng: np.random.Generator) -> list[P.Record]:
    """Records of synthetic cells (one paper cell's identity reused): per-seed losses on both sides."""
    cell = CELLS[4]
    return [
        P.Record(cell, a.mean(), b.mean(), a.mean() / b.mean(), True, a.size, b.size, P.seed_noise(a, b, rng))
        for a, b in zip(ours, theirs, strict=True)
    ]


def _three_and_ten(records: list[P.Record]) -> tuple[bool, bool]:
    checks, _ = P.agreement(records, [], checked=True)
    return tuple(next(c for c in checks if c.name == name).passed for name in (P.CHECK_3X, P.CHECK_10X))  # type: ignore[return-value]


def test_3x_and_10x_checks_allow_seed_noise_and_still_catch_offsets() -> None:
    """Heavy-tailed cells (log-normal seeds, sigma 1.5 in ln; the paper's PT+FT cells near recovery are like
    that): two seed sets of one simulator are often beyond 3x apart on raw means, so the raw criterion would fail
    an identical simulator; allowing each cell's seed spread it passes (30 of 30 trials here). A real offset
    beyond the spread still fails: ours 5x on tight cells (sigma 0.05), and 40x on one heavy-tailed cell."""
    rng = np.random.default_rng(5)
    raw_failures = 0
    for _ in range(30):
        sig = np.where(np.arange(40) < 20, 1.5, 0.1)[:, None]
        ours, theirs = np.exp(sig * rng.standard_normal((40, 6))), np.exp(sig * rng.standard_normal((40, 6)))
        records = _records(list(ours), list(theirs), rng)
        assert _three_and_ten(records) == (True, True)
        raw_failures += np.mean([r.factor <= P.WITHIN for r in records]) < P.WITHIN_FRACTION
    assert raw_failures >= 10  # the raw criterion is not fair to such cells
    tight = np.exp(0.05 * rng.standard_normal((40, 6)))
    assert _three_and_ten(_records(list(5 * tight), list(np.exp(0.05 * rng.standard_normal((40, 6)))), rng))[0] is False
    heavy = np.exp(1.5 * rng.standard_normal((2, 6)))
    one_off = _records([40 * heavy[0]] + [tight[0]] * 39, [heavy[1]] + [tight[1]] * 39, rng)
    assert one_off[0].factor_beyond_noise > P.WITHIN_ALL and _three_and_ten(one_off)[1] is False
