"""Null models of the multitask claims: from a claim's own arrays, a world in which one sub-statement is false.

Each transform returns ``{simulation: {file key: new array}}`` with the shapes and dtypes of the arrays it
replaces (`dln.layout.replaced` checks it); keys come from the layout views (`View.key`). `dln.multitask.claims`
binds the transforms to its claims (with `functools.partial` where a transform takes a parameter) and names
the checks each one targets. Learning-curve nulls work per data seed: a method's losses are replaced by another
method's (or another teacher's) losses of the same seed, so the wrong world keeps the real data's seed noise.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from dln.contract import Results, Spec
from dln.layout import View
from dln.multitask.published import Cell, load
from dln.multitask.relative import (
    VARIANTS,
    baseline,
    disjoint_rows,
    inside_rows,
    ptft_label,
)
from dln.status import Status

Updates = dict[str, dict[str, Any]]
Rows = NDArray[np.int64]
RowPairs = Callable[[View], tuple[Rows, Rows]]  # teacher rows to replace, and the rows their values come from


def _merge(*parts: Updates) -> Updates:
    out: Updates = {}
    for part in parts:
        for sim, arrays in part.items():
            out.setdefault(sim, {}).update(arrays)
    return out


# ------------------------------------------------------------------------------------------ teacher rows
def same(select: Callable[[View], Rows]) -> RowPairs:
    """Replace rows by the same rows of another method."""
    return lambda r: (select(r), select(r))


def onto_first(select: Callable[[View], Rows]) -> RowPairs:
    """Replace every selected row by the first selected row (of the same or another method)."""

    def pairs(r: View) -> tuple[Rows, Rows]:
        rows = select(r)
        return rows, np.full_like(rows, rows[0])

    return pairs


def last_onto_first(select: Callable[[View], Rows]) -> RowPairs:
    """Replace the last selected row by the first one (e.g. k_max behaves as k_min)."""

    def pairs(r: View) -> tuple[Rows, Rows]:
        rows = select(r)
        return rows[-1:], rows[:1]

    return pairs


def first_inside_row(r: View) -> Rows:
    return inside_rows(r)[:1]


def last_inside_row(r: View) -> Rows:
    return inside_rows(r)[-1:]


def first_disjoint_row(r: View) -> Rows:
    return disjoint_rows(r)[:1]


def k_min_without_overlap_as_with(r: View) -> tuple[Rows, Rows]:
    """The k_min teacher outside the aux support := the k_min teacher inside it."""
    return first_disjoint_row(r), first_inside_row(r)


# ------------------------------------------------------------------------------------------ learning curves
def method_blocks(results: Results) -> tuple[View, dict[str, tuple[str, View]]]:
    """The single-task view (teacher rows) and, per method label, (simulation, view holding final/min losses)."""
    if "nested" in results:
        single_name, mtl_name = "nested", "nested"
        single, mtl = results["nested"], results["nested"]
    else:
        single_name, mtl_name = "single_task", "mtl"
        single, mtl = results["single_task"], results["mtl"]
    blocks = {"stl": (single_name, single.stl)}
    blocks |= {ptft_label(i): (single_name, block) for i, block in single.ptft.items()}
    blocks |= {"lp_ptft": (single_name, single.lp_ptft), "lp_stl": (single_name, single.lp_stl)}
    blocks["mtl"] = (mtl_name, mtl.mtl)
    return single, blocks


def _replace_losses(results: Results, target: str, source: str, rows: RowPairs, factor: float) -> Updates:
    """``target``'s losses (both variants) at some teacher rows := ``source``'s at the paired rows, times
    ``factor``, seed by seed (over the seeds both were run on). Losses moved to another teacher keep their
    relative value (they are rescaled by the ratio of the two teachers' STL baselines, the denominators of every
    relative loss), so the wrong world differs from the data in the compared quantity only."""
    single, blocks = method_blocks(results)
    sim, to_view = blocks[target]
    _, from_view = blocks[source]
    to_rows, from_rows = rows(single)
    out: dict[str, Any] = {}
    for variant in VARIANTS:
        base = np.asarray(baseline(single, variant))[:, :, 0]  # (seeds, teachers)
        new = np.array(to_view[variant], copy=True)
        src = from_view[variant]
        s = min(new.shape[0], src.shape[0])
        scale = base[:s, to_rows] / base[:s, from_rows]
        new[:s, to_rows] = src[:s, from_rows] * factor * scale[:, :, None]
        out[to_view.key(variant)] = new
    return {sim: out}


def replace_many(
    results: Results, specs: Mapping[str, Spec], pairs: tuple[tuple[str, str], ...], rows: RowPairs, factor: float = 1.0
) -> Updates:
    """For each (target, source) label pair: the target's losses at the rows := the source's at the paired rows
    (times ``factor``), seed by seed. Pairs are applied to the original arrays, not to each other's output."""
    return _merge(*(_replace_losses(results, t, s, rows, factor) for t, s in pairs))


def all_methods(results: Results) -> tuple[str, ...]:
    return tuple(method_blocks(results)[1])


def teacher_rows_alike(results: Results, specs: Mapping[str, Spec], rows: RowPairs) -> Updates:
    """Every method's losses at some teacher rows := those of other rows (e.g. every partial overlap behaves as
    the smallest one): the teacher difference has no effect at all."""
    return replace_many(results, specs, tuple((m, m) for m in all_methods(results)), rows)


def rescaling_without_effect(results: Results, specs: Mapping[str, Spec]) -> Updates:
    """Every rescaled PT+FT := un-rescaled PT+FT (c = 1), per seed, at every teacher: rescaling changes nothing."""
    single, _ = method_blocks(results)
    every = same(lambda r: np.arange(r.teacher.k_main.size))
    labels = [ptft_label(i) for i in single.ptft if i != 0]
    return replace_many(results, specs, tuple((m, ptft_label(0)) for m in labels), every)


def _smallest_c(results: Results) -> str:
    single, _ = method_blocks(results)
    return ptft_label(int(np.argmin(single.c)))


def smallest_c_as_c1(results: Results, specs: Mapping[str, Spec], rows: RowPairs) -> Updates:
    """PT+FT at the smallest c := PT+FT at c = 1 at some rows, per seed."""
    return replace_many(results, specs, ((_smallest_c(results), ptft_label(0)),), rows)


def c1_as_smallest_c(results: Results, specs: Mapping[str, Spec]) -> Updates:
    """PT+FT at c = 1 := PT+FT at the smallest c at every teacher, per seed (no rescaling needed to select)."""
    every = same(lambda r: np.arange(r.teacher.k_main.size))
    return replace_many(results, specs, ((ptft_label(0), _smallest_c(results)),), every)


def rescaled_as(results: Results, specs: Mapping[str, Spec], rows: RowPairs, source: str | None = None) -> Updates:
    """Every rescaled PT+FT (c <= 0.1) := ``source`` (default: itself) at the paired rows, per seed."""
    single, _ = method_blocks(results)
    rescaled = [ptft_label(i) for i in single.ptft if single.c[i] <= 0.1]
    return replace_many(results, specs, tuple((m, source or m) for m in rescaled), rows)


def overlap_irrelevant(results: Results, specs: Mapping[str, Spec]) -> Updates:
    """MTL's and every PT+FT's k_min losses without overlap := their losses with overlap, per seed."""
    single, _ = method_blocks(results)
    labels = ["mtl", *(ptft_label(i) for i in single.ptft)]
    return replace_many(results, specs, tuple((m, m) for m in labels), k_min_without_overlap_as_with)


# ------------------------------------------------------------------------------------------------ penalties
def _slopes(results: Results, value: Callable[[NDArray, NDArray], NDArray]) -> Updates:
    r = results["penalties"]
    return {"penalties": {r[n].key("slope"): value(np.asarray(r[n].slope), np.asarray(r.beta)) for n in ("mtl", "ft")}}


def slopes_constant(results: Results, specs: Mapping[str, Spec], slope: float) -> Updates:
    """Both penalties with one log-log slope at every magnitude (1: an l1 penalty; 2: a weighted ridge)."""
    return _slopes(results, lambda s, beta: np.full_like(s, slope))


def switch_shifted(results: Results, specs: Mapping[str, Spec], factor: float) -> Updates:
    """Both penalties' slope curves moved along |beta| by ``factor`` (the l2-to-l1 switch at ``factor`` times
    the magnitude where it is), continued with their end values."""

    def shift(s: NDArray, beta: NDArray) -> NDArray:
        x = np.log(beta)
        return np.stack([np.interp(x - np.log(factor), x, row) for row in s])

    return _slopes(results, shift)


def blind_to_aux(results: Results, specs: Mapping[str, Spec]) -> Updates:
    """Both penalties' values over the auxiliary grid replaced by their value at the grid's middle magnitude:
    a regulariser that ignores what pretraining or the auxiliary task learned."""
    r = results["penalties"]
    mid = r.aux_fine.size // 2
    out = {}
    for n in ("mtl", "ft"):
        pva = np.asarray(r[n].penalty_vs_aux)
        out[r[n].key("penalty_vs_aux")] = np.repeat(pva[:, mid : mid + 1], pva.shape[1], axis=1)
    return {"penalties": out}


def _orders(results: Results, orders: Mapping[str, NDArray], dependences: Mapping[str, NDArray]) -> Updates:
    r = results["penalties"]
    out = {r[n].key("order"): o for n, o in orders.items()}
    out |= {r[n].key("dependence"): d for n, d in dependences.items()}
    return {"penalties": out}


def no_feature_dependence(results: Results, specs: Mapping[str, Spec]) -> Updates:
    """Feature dependence 0 for both penalties, orders kept (a single-task-like penalty): the law fails."""
    r = results["penalties"]
    return _orders(results, {}, {n: np.zeros_like(r[n].dependence) for n in ("mtl", "ft")})


def orders_swapped(results: Results, specs: Mapping[str, Spec]) -> Updates:
    """MTL's order and dependence curves given to PT+FT and vice versa (each still conserves)."""
    r = results["penalties"]
    return _orders(
        results,
        {"mtl": r.ft.order, "ft": r.mtl.order},
        {"mtl": r.ft.dependence, "ft": r.mtl.dependence},
    )


def order_copied(results: Results, specs: Mapping[str, Spec], target: str, source: str) -> Updates:
    """``target``'s order and dependence := ``source``'s (one penalty switches as fast or as slowly as the
    other)."""
    r = results["penalties"]
    return _orders(results, {target: r[source].order}, {target: r[source].dependence})


def ft_order_scaled(results: Results, specs: Mapping[str, Spec], reach: float) -> Updates:
    """PT+FT's order 1 + reach (order - 1) (it tops out at 1 + reach instead of 2), dependence 1 - order (the
    law still holds)."""
    r = results["penalties"]
    order = 1.0 + reach * (np.asarray(r.ft.order) - 1.0)
    return _orders(results, {"ft": order}, {"ft": 1.0 - order})


# ------------------------------------------------------------------------------------------------ validation
def gd_off_by(results: Results, specs: Mapping[str, Spec], factor: float) -> Updates:
    """GD's final losses ``factor`` times the predicted ones (GD reaches another interpolator)."""
    r = results["validation"]
    return {"validation": {r.key("gd"): np.asarray(r.pred) * factor}}


def beta_gap(results: Results, specs: Mapping[str, Spec], fraction: float) -> Updates:
    """GD's coefficients ``fraction`` of max |beta*| away from the prediction in every configuration."""
    r = results["validation"]
    return {"validation": {r.key("max_beta_gap"): np.asarray(r.teacher_max) * fraction}}


def one_diverged(results: Results, specs: Mapping[str, Spec]) -> Updates:
    """The configuration with the largest predicted loss diverged."""
    r = results["validation"]
    status = np.array(r.status, copy=True)
    status[int(np.argmax(r.pred))] = Status.DIVERGED
    return {"validation": {r.key("status"): status}}


# ------------------------------------------------------------------------------------ published agreement
CellsOf = Callable[[View], tuple[list[Cell], list[Cell]]]  # a claim's (figure cells, decided cells)


def _chosen_cells(single: View, cells_of: CellsOf, which: str) -> list[Cell]:
    figure, decided = cells_of(single)
    if which == "figure":
        return figure
    if which == "decided":
        return decided
    pub = load()  # "one": the decided cell with the largest published mean (surely above the floor)
    means = [pub.seeds(c.experiment, c.method, c.c, c.k, c.overlap, c.n) for c in decided]
    best = int(np.argmax([m.mean() if m.size else -np.inf for m in means]))
    return [decided[best]]


def scaled_cells(results: Results, specs: Mapping[str, Spec], cells_of: CellsOf, which: str, factor: float) -> Updates:
    """Our losses (both variants) times ``factor`` at a claim's figure cells, decided cells or one decided cell
    (``which``: "figure", "decided", "one"), every seed: a world whose curves are off the published ones by that
    factor there. STL at the smallest n (the relative-loss baseline) is left alone."""
    single, blocks = method_blocks(results)
    out: Updates = {}
    for cell in _chosen_cells(single, cells_of, which):
        if cell.label == "stl" and cell.position == 0:
            continue
        sim, view = blocks[cell.label]
        for variant in VARIANTS:
            key = view.key(variant)
            arrays = out.setdefault(sim, {})
            new = arrays.get(key)
            if new is None:
                new = arrays[key] = np.array(view[variant], copy=True)
            new[:, cell.row, cell.position] *= factor
    return out
