"""Print the multitask claims' agreement with the authors' published means as a markdown table.

Reads the verdicts of a results folder (``<results>/claims/<claim>.json``, `measured.published_comparison`) and
writes one row per multitask claim: cells compared (above the 1e-6 floor), median ours / published, fraction
within 3x (raw, and allowing each cell's seed noise as the check does), worst factor and cells, all cells and
decided cells outside seed noise, whether the agreement was checked (paper
scale) and the claim's verdict. With ``--cells PATTERN`` it lists every compared cell whose name contains
PATTERN instead. Used for the README's tables and the closing notes; nothing is recomputed.

  .venv/bin/python tools/published_table.py results-paper
  .venv/bin/python tools/published_table.py results-paper --cells "PT+FT c=1, sparse k=5 overlap=0"
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

CLAIMS = ("shared_features_help", "no_overlap_costs", "nested_feature_selection", "rescaling_and_new_features")


def summary_row(cid: str, verdict: dict) -> str:
    pc = verdict["measured"]["published_comparison"]
    outside = pc["decided_cells_outside_seed_noise"]
    decided = f"{len(outside)} of {pc['decided_cells_compared']}" + (": " + "; ".join(outside) if outside else "")
    failed = [c["name"] for c in verdict["checks"] if not c["passed"]]
    holds = "holds" if verdict["holds"] else "does not hold (" + ", ".join(failed) + ")"
    raw = pc.get("fraction_within_3x_raw", pc["fraction_within_3x"])
    beyond = pc.get("worst_factor_beyond_seed_noise", float("nan"))
    return (
        f"| `{cid}` | {pc['cells_compared']} ({pc['cells_above_floor']}) | {pc['median_ratio_above_floor']:.2f} | "
        f"{100 * raw:.0f} % / {100 * pc['fraction_within_3x']:.0f} % | {pc['worst_factor']:.1f}x / {beyond:.1f}x | "
        f"{'; '.join(pc['worst_cells'][:3])} | {len(pc.get('cells_outside_seed_noise', []))} | "
        f"{decided} | {pc['checked']} | {holds} |"
    )


def cell_rows(verdict: dict, pattern: str) -> list[str]:
    rows = []
    for c in verdict["measured"]["published_comparison"]["cells"]:
        if pattern in c["cell"]:
            lo, hi = c.get("seed_noise_interval") or (float("nan"), float("nan"))  # none below the floor
            rows.append(
                f"| {c['cell']} | {c['ours']:.4g} | {c['published']:.4g} | {c['ratio']:.2f} | [{lo:.2f}, {hi:.2f}] | "
                f"{c.get('p_value', float('nan')):.3g} | {c.get('agrees_within_seed_noise', '-')} |"
            )
    return rows


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("results", type=Path, help="a results folder (results, results-paper, ...)")
    p.add_argument("--cells", help="list the compared cells whose name contains this text")
    args = p.parse_args()
    verdicts = {}
    for cid in CLAIMS:
        path = args.results / "claims" / f"{cid}.json"
        if path.exists():
            verdicts[cid] = json.loads(path.read_text())
    if args.cells is not None:
        print("| claim | cell | ours | published | ratio | seed-noise interval | p | agrees |")
        print("|---|---|---|---|---|---|---|---|")
        for cid, v in verdicts.items():
            for row in cell_rows(v, args.cells):
                print(f"| `{cid}` " + row)
        return
    print(
        "| claim | cells (both > 1e-6) | median ours/pub | within 3x (raw / allowing seed noise) | "
        "worst factor (raw / beyond seed noise) | worst cells | cells outside seed noise | "
        "decided outside seed noise | checked | verdict |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for cid, v in verdicts.items():
        print(summary_row(cid, v))


if __name__ == "__main__":
    main()
