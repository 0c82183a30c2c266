"""Claim family: inductive biases of multi-task learning and finetuning (Lippl & Lindsey, NeurIPS 2024).

Two-layer diagonal networks beta = w+ v+ - w- v- in the paper's own parameterisation (all weights start at
alpha; MTL shares the first layer; PT+FT rescales the pretrained first layer by c and resets the readout to
gamma = c alpha). Simulations live in `dln.multitask.simulations`, verdicts in `dln.multitask.verdicts`.
Fig 3b/3c (`nested_feature_selection`) reads its own simulation `nested`, run at the paper's D and k_aux in
every config (the PT+FT regime depends on k_aux and the 1/k magnitudes), with MTL on fewer seeds.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from dln.multitask import simulations as sims
from dln.multitask import verdicts
from dln.registry import Arrays, Assessment, ClaimSpec, Family, Parts, SimulationSpec, Spec

PAPER = "Lippl & Lindsey 2024 (NeurIPS), Inductive biases of multi-task learning and finetuning"
UID_PENALTIES, UID_VALIDATION, UID_SINGLE_TASK, UID_MTL, UID_NESTED = 501, 502, 503, 504, 505  # 500: data draws


def assess_penalty_shapes(results: Mapping[str, Arrays], specs: Mapping[str, Spec]) -> Assessment:
    return verdicts.penalty_shapes_verdict(results["penalties"])


def assess_conservation_law(results: Mapping[str, Arrays], specs: Mapping[str, Spec]) -> Assessment:
    return verdicts.conservation_law_verdict(results["penalties"])


def assess_prediction_matches_training(results: Mapping[str, Arrays], specs: Mapping[str, Spec]) -> Assessment:
    r = results["validation"]
    return verdicts.prediction_matches_training_verdict(
        r["pred"] / r["baseline"], r["gd"] / r["baseline"], r["max_beta_gap"], r["teacher_max"], r["status"]
    )


def _curves(results: Mapping[str, Arrays]) -> tuple[dict[str, np.ndarray], Arrays]:
    """Mean relative losses (minimum over checkpoints, the paper's variant) and the single-task arrays."""
    st = results["single_task"]
    return verdicts.relative_curves(st, results["mtl"], "min"), st


def _sparse_rows(st: Arrays, inside: bool) -> np.ndarray:
    """Sparse-experiment teacher rows inside (overlap = k) or outside (overlap 0) the aux support, by k."""
    e, k, o = st["teacher/experiment"], st["teacher/k_main"], st["teacher/overlap"]
    rows = np.flatnonzero((e == 1) & ((o == k) if inside else (o == 0)))
    return rows[np.argsort(k[rows])]


def _with_final_variant(assess, results: Mapping[str, Arrays], *args, curves_of=None) -> Assessment:
    """Decide on the paper's minimum-over-checkpoints losses; report the final-loss checks as robustness.

    ``curves_of(variant)`` gives the curves of a variant (default: the `single_task` and `mtl` simulations).
    """
    main = assess(*args)
    if curves_of is None:
        curves_final = verdicts.relative_curves(results["single_task"], results["mtl"], "final")
    else:
        curves_final = curves_of("final")
    final = assess(curves_final, *args[1:])
    measured = main.measured | {"final_loss_variant_checks": final.checks}
    return Assessment(measured, main.thresholds | {"decided_on": "minimum over checkpoints"}, main.checks)


def assess_shared_features_help(results: Mapping[str, Arrays], specs: Mapping[str, Spec]) -> Assessment:
    curves, st = _curves(results)
    rows = np.flatnonzero(st["teacher/experiment"] == 0)
    k_aux = int(specs["single_task"]["k_aux"])
    return _with_final_variant(
        verdicts.shared_features_verdict, results, curves, rows, st["teacher/overlap"][rows], k_aux
    )


def assess_no_overlap_costs(results: Mapping[str, Arrays], specs: Mapping[str, Spec]) -> Assessment:
    curves, st = _curves(results)
    return _with_final_variant(verdicts.no_overlap_verdict, results, curves, _sparse_rows(st, inside=False))


def assess_nested_feature_selection(results: Mapping[str, Arrays], specs: Mapping[str, Spec]) -> Assessment:
    """Fig 3b/3c on the `nested` simulation (paper sizes; MTL on its first seeds only)."""
    r = results["nested"]

    def curves_of(variant: str) -> dict[str, np.ndarray]:
        return verdicts.split_seed_curves(r, variant)

    return _with_final_variant(
        verdicts.nested_verdict,
        results,
        curves_of("min"),
        _sparse_rows(r, inside=True),
        r["c"],
        curves_of=curves_of,
    )


def assess_rescaling_and_new_features(results: Mapping[str, Arrays], specs: Mapping[str, Spec]) -> Assessment:
    curves, st = _curves(results)
    yes, no = _sparse_rows(st, inside=True)[0], _sparse_rows(st, inside=False)[0]
    return _with_final_variant(verdicts.rescaling_verdict, results, curves, int(yes), int(no), st["c"])


LEARNING_CURVES = ("single_task", "mtl")

FAMILY = Family(
    name="multitask",
    title="Inductive biases of multi-task learning and finetuning",
    paper=PAPER,
    simulations={
        "penalties": SimulationSpec(
            "penalties", UID_PENALTIES, sims.simulate_penalties, "P_MTL, P_FT, their slopes and orders (closed form)"
        ),
        "validation": SimulationSpec(
            "validation", UID_VALIDATION, sims.simulate_validation, "GD vs exact limits for STL and PT+FT"
        ),
        "single_task": SimulationSpec(
            "single_task", UID_SINGLE_TASK, sims.simulate_single_task, "exact STL, PT+FT (c grid) and LP losses"
        ),
        "mtl": SimulationSpec(
            "mtl",
            UID_MTL,
            sims.simulate_mtl,
            "MTL by batched full-batch GD (float64)",
            parts=Parts(sims.mtl_seed_count, sims.simulate_mtl_seed, sims.merge_mtl),
        ),
        "nested": SimulationSpec(
            "nested", UID_NESTED, sims.simulate_nested, "Fig 3b/3c at paper sizes: exact STL/PT+FT/LP, MTL by GD"
        ),
    },
    claims={
        "penalty_shapes": ClaimSpec(
            "penalty_shapes",
            PAPER,
            "Fig 1a,b: P_MTL and P_FT have log-log slope 2 when |beta_aux| >> |beta| and slope 1 (P_FT: 1 + "
            "O(1/ln)) when |beta| >> |beta_aux|, switch near |beta| ~ |beta_aux|, and decrease monotonically in "
            "|beta_aux|.",
            ("penalties",),
            assess_penalty_shapes,
        ),
        "conservation_law": ClaimSpec(
            "conservation_law",
            PAPER,
            "Fig 3a: order + feature dependence = 1 for both penalties; the PT+FT order is >= the MTL order for "
            "every beta_aux, with a wide range of intermediate (nested) orders for PT+FT and a narrow one for MTL.",
            ("penalties",),
            assess_conservation_law,
        ),
        "prediction_matches_training": ClaimSpec(
            "prediction_matches_training",
            PAPER,
            "For a sample of STL and PT+FT (c = 1 and 0.1) configurations, the exact gradient-flow limit (dual "
            "Newton with the asymmetric A, B of the implemented network) and GD training with the paper's "
            "protocol agree: relative losses within 30 % above 1e-6, and max |beta_GD - beta_pred| <= 5 % of "
            "max |beta*|.",
            ("validation",),
            assess_prediction_matches_training,
        ),
        "shared_features_help": ClaimSpec(
            "shared_features_help",
            PAPER,
            "Fig 2c,e: on the identical task MTL and PT+FT are >= 100x below STL at paper n in {64, 128} and "
            "PT+FT is >= 10x below MTL; with partial overlap both are >= 10x below STL at paper n = 256, more so "
            "with more overlap; PT+FT (LP) stays above 0.1 and STL (LP) above 0.5 (new features not learnable).",
            LEARNING_CURVES,
            assess_shared_features_help,
        ),
        "no_overlap_costs": ClaimSpec(
            "no_overlap_costs",
            PAPER,
            "Fig 2a: with disjoint supports neither MTL nor PT+FT beats STL at paper n in {128, 256}, and the "
            "loss of every method grows with the number of active main features k (>= 10x from k_min to k_max).",
            LEARNING_CURVES,
            assess_no_overlap_costs,
        ),
        "nested_feature_selection": ClaimSpec(
            "nested_feature_selection",
            PAPER,
            "Fig 3b,c: MTL benefits from sparsity within the auxiliary support; un-rescaled PT+FT is nearly "
            "insensitive to k; rescaled PT+FT (c <= 0.1) selects a sparse subset (loss grows >= 1e3x with k at "
            "paper n = 64), beats both by >= 15x at k_min and paper n = 32, and is >= 10x worse than c = 1 when "
            "all auxiliary features are used (k = k_aux, paper n = 64).",
            ("nested",),
            assess_nested_feature_selection,
            known_deviations={
                "mtl_benefits_from_sparsity": (
                    "with the authors' MTL protocol (shared first layer, full-batch GD, lr 0.1, 1e5-step cap) the "
                    "loss ratio k_max/k_min is below 1 at paper n = 32 and 64 (paper scale: 0.59 and 0.40, small: "
                    "0.36 and 1.19; the paper reports about 3x and 9x): MTL does not benefit from sparsity within "
                    "the auxiliary support here. Seen at both scales and in the spec's own reproduction."
                )
            },
        ),
        "rescaling_and_new_features": ClaimSpec(
            "rescaling_and_new_features",
            PAPER,
            "Supp. Fig 9a (k_min): overlap helps MTL and PT+FT at every c; smaller c makes new features learnable "
            "sooner (no-overlap loss at paper n = 64 >= 10x lower at the smallest c than at c = 1); and for paper "
            "n >= 64 the overlap benefit shrinks as c decreases.",
            LEARNING_CURVES,
            assess_rescaling_and_new_features,
        ),
    },
)
