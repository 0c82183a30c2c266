"""Tables generated from the verdict and falsification records: claims.md, falsification.md, robustness.md.

Everything here reads the JSON records the workflow writes (``claims/<id>.json``, ``falsification/<id>.json``),
so the tables can be rebuilt from a results folder without the simulations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

Record = Mapping[str, Any]


def _fmt(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:.3g}"
    if isinstance(value, list):
        shown = ", ".join(_fmt(v) for v in value[:6])
        return f"[{shown}{', …' if len(value) > 6 else ''}]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_fmt(v)}" for k, v in value.items()) + "}"
    return str(value)


def check_line(check: Record) -> str:
    """'✓ name: measured >= threshold' (or ✗) for one check record."""
    mark = "✓" if check["passed"] else "✗"
    threshold = "" if check.get("threshold") is None else f" {_fmt(check['threshold'])}"
    return f"{mark} {check['name']}: {_fmt(check['measured'])} {check['comparison']}{threshold}"


def failed_checks(v: Record) -> list[str]:
    return [c["name"] for c in v.get("checks", []) if not c["passed"]]


def unexpected_failures(v: Record) -> list[str]:
    """Failing checks that are not documented known deviations."""
    known = v.get("known_deviations", {})
    return [name for name in failed_checks(v) if name not in known]


def accepted_nulls(f: Record | None) -> list[str]:
    """Null models the verdict failed to reject although their targets pass on the data."""
    if not f:
        return []
    return [n["name"] for n in f.get("nulls", []) if n["informative"] and not n["rejected"]]


def null_summary(f: Record | None) -> str:
    """'3 / 3 rejected' (plus the nulls that are not informative) for one claim."""
    if not f or not f.get("nulls"):
        return "none registered"
    nulls = f["nulls"]
    informative = [n for n in nulls if n["informative"]]
    text = f"{sum(n['rejected'] for n in informative)} / {len(informative)} rejected"
    idle = [n for n in nulls if not n.get("applicable", True)]
    blind = len(nulls) - len(informative) - len(idle)
    if blind:
        text += f" ({blind} not discriminating: target already fails on the data)"
    if idle:
        text += f" ({len(idle)} not applicable: their checks are not made at this configuration's sizes)"
    return text


def _null_state(n: Record) -> str:
    if not n.get("applicable", True):
        return "not applicable (its checks are not made at this configuration's sizes)"
    if not n["informative"]:
        return "not discriminating (target already fails on the data)"
    return "rejected" if n["rejected"] else "**accepted**"


def _verdict_text(v: Record) -> str:
    if v["holds"]:
        return "holds"
    known = v.get("known_deviations", {})
    failed = failed_checks(v)
    documented = [k for k in failed if k in known]
    if documented and len(documented) == len(failed):
        return "**does not hold** (known deviation: " + "; ".join(f"{k}: {known[k]}" for k in documented) + ")"
    return "**does not hold**"


def claims_markdown(verdicts: Sequence[Record], falsification: Mapping[str, Record] | None = None) -> str:
    """One table row per claim: id, source, statement, checks (measured vs threshold), nulls rejected, verdict."""
    falsification = falsification or {}
    failing = failing_claims(verdicts, falsification)
    lines = [
        "# Claims",
        "",
        f"{sum(v['holds'] for v in verdicts)} of {len(verdicts)} claims hold; {len(failing)} fail unexpectedly "
        f"({', '.join(failing) or 'none'}); the others that do not hold fail only on documented known deviations "
        "(findings: see the verdict column). *source* says where each statement comes from: the paper (where, and "
        "how we know), or derived in this project. *nulls* counts the null models (the claim's arrays with one "
        "claimed effect removed) that the verdict rejects; `falsification.md` lists them.",
        "",
        "| claim | source | statement | checks | nulls | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for v in verdicts:
        checks = "<br>".join(check_line(c) for c in v["checks"])
        lines.append(
            f"| `{v['id']}` | {v['source']} | {v['statement']} | {checks} | "
            f"{null_summary(falsification.get(v['id']))} | {_verdict_text(v)} |"
        )
    return "\n".join(lines) + "\n"


def falsification_markdown(records: Sequence[Record]) -> str:
    """One row per null model: claim, null, what it removes, the verdict under it, the checks that caught it."""
    rows = [n | {"claim": f["id"]} for f in records for n in f.get("nulls", [])]
    rejected = sum(n["rejected"] for n in rows)
    informative = sum(n["informative"] for n in rows)
    idle = sum(not n.get("applicable", True) for n in rows)
    lines = [
        "# Falsification",
        "",
        f"Every claim's verdict rerun on its null models: {rejected} of {informative} informative nulls rejected "
        f"({len(rows) - informative - idle} not discriminating because a target check already fails on the data; "
        f"{idle} not applicable because their checks are not made at this configuration's sizes), over "
        f"{len(records)} claims. A null is rejected when at least one of its target checks fails on it.",
        "",
        "| claim | null | removes | verdict under the null | caught by (targets) | other failing checks |",
        "|---|---|---|---|---|---|",
    ]
    for n in rows:
        verdict = _null_state(n)
        caught = ", ".join(n["caught_by"]) or "none"
        other = ", ".join(c for c in n["failed_checks"] if c not in n["caught_by"]) or "none"
        lines.append(
            f"| `{n['claim']}` | `{n['name']}` | {n['removes']} | {verdict} | {caught} "
            f"(targets: {', '.join(n['targets'])}) | {other} |"
        )
    empty = [f["id"] for f in records if not f.get("nulls")]
    if empty:
        lines += ["", f"Claims without null models: {', '.join(empty)}."]
    return "\n".join(lines) + "\n"


def summary_lines(verdicts: Sequence[Record], falsification: Mapping[str, Record] | None = None) -> list[str]:
    """Short printout for the end of a run."""
    falsification = falsification or {}
    out = [f"{sum(v['holds'] for v in verdicts)}/{len(verdicts)} claims hold"]
    for v in verdicts:
        known = v.get("known_deviations", {})
        failed = [k + (" [known deviation]" if k in known else "") for k in failed_checks(v)]
        tail = "" if v["holds"] else f"  (failed checks: {', '.join(failed) or 'none recorded'})"
        accepted = accepted_nulls(falsification.get(v["id"]))
        if accepted:
            tail += f"  (nulls accepted: {', '.join(accepted)})"
        out.append(f"  [{'x' if v['holds'] else ' '}] {v['id']}{tail}")
    return out


def failing_claims(verdicts: Sequence[Record], falsification: Mapping[str, Record] | None = None) -> list[str]:
    """Claims strict mode fails: a check fails that is not a documented known deviation, no check at all, or a
    null model is accepted."""
    falsification = falsification or {}
    out = []
    for v in verdicts:
        broken = not v["holds"] and (not failed_checks(v) or bool(unexpected_failures(v)))
        if broken or accepted_nulls(falsification.get(v["id"])):
            out.append(v["id"])
    return out


def _spread(values: Sequence[float]) -> str:
    vals = np.asarray([x for x in values if x is not None and np.isfinite(x)], dtype=float)
    if not vals.size:
        return "n/a"
    return f"{_fmt(float(vals.min()))} / {_fmt(float(np.median(vals)))} / {_fmt(float(vals.max()))}"


def _scalar(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None if value is None else float(value)
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, list) and value and all(isinstance(x, int | float) and not isinstance(x, bool) for x in value):
        return float(min(value))  # a list check is as strong as its weakest entry
    return None


def robustness_markdown(by_seed: Mapping[int, Sequence[Record]]) -> str:
    """Per claim: holds at k / K root seeds, and min / median / max over seeds of each check's measured value
    (for list-valued checks, of the list's minimum)."""
    seeds = sorted(by_seed)
    claims: dict[str, dict[int, Record]] = {}
    for s in seeds:
        for v in by_seed[s]:
            claims.setdefault(v["id"], {})[s] = v
    lines = [
        "# Robustness over root seeds",
        "",
        f"Root seeds {', '.join(map(str, seeds))} (K = {len(seeds)}); everything else as in the config. A claim "
        "that holds at fewer than all seeds is fragile. Spreads are min / median / max over seeds of each check's "
        "measured value (for a list, of its smallest entry).",
        "",
        "| claim | holds at | fragile | checks failing at some seed | check spreads (min / median / max) |",
        "|---|---|---|---|---|",
    ]
    for cid in sorted(claims):
        per = claims[cid]
        holds = sum(bool(v["holds"]) for v in per.values())
        failing = sorted({c for v in per.values() for c in failed_checks(v)})
        names = [c["name"] for c in next(iter(per.values()))["checks"]]
        spreads = []
        for name in names:
            vals = [
                _scalar(next((c["measured"] for c in v["checks"] if c["name"] == name), None)) for v in per.values()
            ]
            spreads.append(f"{name}: {_spread([x for x in vals if x is not None])}")
        lines.append(
            f"| `{cid}` | {holds} / {len(per)} | {'**fragile**' if 0 < holds < len(per) else 'no'} | "
            f"{', '.join(failing) or 'none'} | {'<br>'.join(spreads)} |"
        )
    return "\n".join(lines) + "\n"


def _rst_escape(text: str) -> str:
    return text.replace("*", "\\*").replace("`", "'")


def verdict_rst(v: Record) -> str:
    """The report caption of a claim's figure: statement, source, verdict and every check (reStructuredText)."""
    state = "holds" if v["holds"] else "does not hold"
    lines = [
        f"**Claim** ``{v['id']}``: {_rst_escape(v['statement'])}",
        "",
        f"**Source.** {_rst_escape(v['source'])}.",
        "",
        f"**Verdict: the claim {state}** ({sum(c['passed'] for c in v['checks'])} of {len(v['checks'])} checks pass; "
        "thresholds are fixed in the family's claims module, never tuned to the data).",
        "",
    ]
    lines += [f"- {_rst_escape(check_line(c))}" for c in v["checks"]]
    known = v.get("known_deviations", {})
    if known:
        found = "; ".join(f"{k}: {_rst_escape(t)}" for k, t in known.items())
        lines += ["", f"**Known deviations** (findings): {found}"]
    if v.get("notes"):
        lines += ["", f"**Notes.** {_rst_escape(v['notes'])}"]
    seed = v.get("parameters", {}).get("seed")
    if seed is not None:
        lines += ["", f"Root seed {seed}; the simulations' config slices are in the record below."]
    return "\n".join(lines) + "\n"


def nulls_rst(f: Record) -> str:
    """The null-model part of a claim's report caption."""
    if not f.get("nulls"):
        return "**Null models.** none registered.\n"
    lines = [f"**Null models** ({null_summary(f)}):", ""]
    for n in f["nulls"]:
        state = _null_state(n).replace("**accepted**", "ACCEPTED")
        caught = ", ".join(n["caught_by"]) or "none"
        lines.append(f"- ``{n['name']}`` ({_rst_escape(n['removes'])}): {state}; caught by {caught}")
    return "\n".join(lines) + "\n"
