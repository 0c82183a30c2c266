"""Claims table: markdown rendering and the end-of-run summary of verdict records."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def _fmt(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.3g}"
    if isinstance(value, list):
        shown = ", ".join(_fmt(v) for v in value[:6])
        return f"[{shown}{', …' if len(value) > 6 else ''}]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_fmt(v)}" for k, v in value.items()) + "}"
    return str(value)


def _pairs(record: Mapping[str, Any]) -> str:
    return "<br>".join(f"{k} = {_fmt(v)}" for k, v in record.items())


def claims_markdown(verdicts: Sequence[Mapping[str, Any]]) -> str:
    """One table row per claim: id, paper, statement, measured numbers, thresholds, verdict."""
    lines = [
        "# Claims",
        "",
        f"{sum(v['holds'] for v in verdicts)} of {len(verdicts)} claims hold.",
        "",
        "| claim | paper | statement | measured | thresholds | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for v in verdicts:
        verdict = "holds" if v["holds"] else "**does not hold**"
        lines.append(
            f"| `{v['id']}` | {v['paper']} | {v['statement']} | {_pairs(v['measured'])} | "
            f"{_pairs(v['thresholds'])} | {verdict} |"
        )
    return "\n".join(lines) + "\n"


def summary_lines(verdicts: Sequence[Mapping[str, Any]]) -> list[str]:
    """Short printout for the end of a run."""
    out = [f"{sum(v['holds'] for v in verdicts)}/{len(verdicts)} claims hold"]
    for v in verdicts:
        failed = [k for k, ok in v.get("checks", {}).items() if not ok]
        tail = "" if v["holds"] else f"  (failed checks: {', '.join(failed)})"
        out.append(f"  [{'x' if v['holds'] else ' '}] {v['id']}{tail}")
    return out


def failing_claims(verdicts: Sequence[Mapping[str, Any]]) -> list[str]:
    return [v["id"] for v in verdicts if not v["holds"]]
