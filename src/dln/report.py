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
        f"{sum(v['holds'] for v in verdicts)} of {len(verdicts)} claims hold; "
        f"{len(failing_claims(verdicts))} fail unexpectedly; the others that do not hold are documented known "
        "deviations (findings: the paper's statement did not reproduce; see the verdict column).",
        "",
        "| claim | paper | statement | measured | thresholds | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for v in verdicts:
        verdict = _verdict_text(v)
        lines.append(
            f"| `{v['id']}` | {v['paper']} | {v['statement']} | {_pairs(v['measured'])} | "
            f"{_pairs(v['thresholds'])} | {verdict} |"
        )
    return "\n".join(lines) + "\n"


def _failed(v: Mapping[str, Any]) -> list[str]:
    return [k for k, ok in v.get("checks", {}).items() if not ok]


def _verdict_text(v: Mapping[str, Any]) -> str:
    if v["holds"]:
        return "holds"
    known = v.get("known_deviations", {})
    documented = [k for k in _failed(v) if k in known]
    if documented and len(documented) == len(_failed(v)):
        return "**does not hold** (known deviation: " + "; ".join(f"{k}: {known[k]}" for k in documented) + ")"
    return "**does not hold**"


def summary_lines(verdicts: Sequence[Mapping[str, Any]]) -> list[str]:
    """Short printout for the end of a run."""
    out = [f"{sum(v['holds'] for v in verdicts)}/{len(verdicts)} claims hold"]
    for v in verdicts:
        known = v.get("known_deviations", {})
        failed = [k + (" [known deviation]" if k in known else "") for k in _failed(v)]
        tail = "" if v["holds"] else f"  (failed checks: {', '.join(failed) or 'none recorded'})"
        out.append(f"  [{'x' if v['holds'] else ' '}] {v['id']}{tail}")
    return out


def failing_claims(verdicts: Sequence[Mapping[str, Any]]) -> list[str]:
    """Claims that do not hold for a reason other than a documented known deviation (strict mode fails)."""
    out = []
    for v in verdicts:
        known = v.get("known_deviations", {})
        if not v["holds"] and (not _failed(v) or any(k not in known for k in _failed(v))):
            out.append(v["id"])
    return out
