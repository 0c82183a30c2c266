"""Command line of the workflow: ``python -m dln --help``.

Snakemake rules call these subcommands; config values reach them as one JSON argument (quoted by
Snakemake), never spliced into shell text. Every `.npz` is checked against its simulation's declared layout
when it is written and when it is read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from dln import environment, io
from dln.contract import Parts, Simulation
from dln.registry import families, find_claim, find_simulation
from dln.report import (
    claims_markdown,
    failing_claims,
    falsification_markdown,
    nulls_rst,
    robustness_markdown,
    summary_lines,
    verdict_rst,
)
from dln.verdict import assess_claim, falsify


def _sidecar_path(npz: str | Path) -> Path:
    return Path(npz).with_suffix(".json")


def cmd_list(_: argparse.Namespace) -> int:
    for fam in families().values():
        print(f"{fam.name}: {fam.title} ({fam.paper})")
        for sim in fam.simulations.values():
            reads = f" (reads {', '.join(sim.needs)})" if sim.needs else ""
            print(f"  simulation {sim.name}: {sim.description}{reads}")
        for claim in fam.claims.values():
            print(f"  claim {claim.id}: {fam.statement(claim.id)}")
            print(f"    source: {claim.source.text(fam.paper)}")
            if claim.nulls:
                print(f"    null models: {', '.join(n.name for n in claim.nulls)}")
    return 0


def cmd_layout(args: argparse.Namespace) -> int:
    sim = find_simulation(args.family, args.simulation)
    print(f"{args.family}/{sim.name}.npz: {sim.description}")
    print("\n".join(sim.layout.describe("  ")))
    if sim.parts is not None:
        print(f"each part ({args.family}/{sim.name}.part<i>.npz):")
        print("\n".join(sim.parts.layout.describe("  ")))
    return 0


def _parse_spec(text: str) -> dict:
    return _parse_json_object(text, "--spec")


def _parse_json_object(text: str, what: str) -> dict:
    try:
        return dict(json.loads(text))
    except (json.JSONDecodeError, TypeError, ValueError) as err:
        raise SystemExit(f"{what} is not valid JSON object: {err}") from err


def _parts_of(sim: Simulation) -> Parts:
    if sim.parts is None:
        raise SystemExit(f"simulation {sim.name!r} does not run in parts")
    return sim.parts


def _save_simulation(args: argparse.Namespace, sim: Simulation, spec: dict, arrays: dict, **extra: int) -> None:
    """The `.npz` (checked against its layout) and its `.json` sidecar (config slice, seed, provenance)."""
    part = extra.get("part")
    layout = sim.layout if part is None else _parts_of(sim).layout
    layout.check(arrays, what=f"{args.family}/{sim.name}" + ("" if part is None else f" part {part}"))
    io.save_npz(args.out, arrays)
    io.write_json(
        _sidecar_path(args.out),
        {
            "family": args.family,
            "simulation": sim.name,
            "spec": spec,
            "seed": {"entropy": args.seed, "spawn_key": [sim.uid, "point", "repeat"]},
            **extra,
            "code": args.code,
            "provenance": io.provenance(),
        },
    )


def _needed(args: argparse.Namespace, sim: Simulation) -> tuple:
    """The arrays of the simulations ``sim`` needs, from ``--needs`` (one file per name, in order), checked."""
    paths = list(args.needs or [])
    if len(paths) != len(sim.needs):
        raise SystemExit(f"simulation {sim.name!r} needs {list(sim.needs) or 'nothing'}, got --needs {paths}")
    needed = {}
    for name, path in zip(sim.needs, paths, strict=True):
        arrays = io.load_npz(path)
        find_simulation(args.family, name).layout.check(arrays, what=f"{args.family}/{name} ({path})")
        needed[name] = arrays
    return (needed,) if sim.needs else ()


def cmd_simulate(args: argparse.Namespace) -> int:
    sim = find_simulation(args.family, args.simulation)
    spec = _parse_spec(args.spec)
    needed = _needed(args, sim)
    if args.part is None:
        _save_simulation(args, sim, spec, sim.run(spec, args.seed, *needed))
        return 0
    parts = _parts_of(sim)
    if not 0 <= args.part < parts.count(spec):
        raise SystemExit(f"--part {args.part} is out of range: simulation {sim.name!r} has {parts.count(spec)} parts")
    _save_simulation(args, sim, spec, parts.run(spec, args.seed, args.part, *needed), part=args.part)
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    sim = find_simulation(args.family, args.simulation)
    spec = _parse_spec(args.spec)
    parts = _parts_of(sim)
    if len(args.parts) != parts.count(spec):
        raise SystemExit(f"simulation {sim.name!r} has {parts.count(spec)} parts, got {len(args.parts)}")
    loaded = []
    for i, path in enumerate(args.parts):
        arrays = io.load_npz(path)
        parts.layout.check(arrays, what=f"{args.family}/{sim.name} part {i} ({path})")
        loaded.append(arrays)
    _save_simulation(args, sim, spec, parts.merge(spec, args.seed, loaded))
    return 0


def _claim_inputs(claim_id: str, inputs: Sequence[str]) -> tuple:
    fam, claim = find_claim(claim_id)
    if len(inputs) != len(claim.simulations):
        raise SystemExit(
            f"claim {claim.id} reads {len(claim.simulations)} simulations "
            f"({', '.join(claim.simulations)}), got {len(inputs)} inputs"
        )
    pairs = list(zip(claim.simulations, inputs, strict=True))
    arrays = {name: io.load_npz(p) for name, p in pairs}
    sidecars = {name: io.read_json(_sidecar_path(p)) for name, p in pairs}
    specs = {name: s["spec"] for name, s in sidecars.items()}
    seeds = {s["seed"]["entropy"] for s in sidecars.values()}
    seed = seeds.pop() if len(seeds) == 1 else None
    return fam, claim, arrays, specs, seed


def cmd_verdict(args: argparse.Namespace) -> int:
    fam, claim, arrays, specs, seed = _claim_inputs(args.claim, args.inputs)
    verdict = assess_claim(fam, claim, arrays, specs, seed)
    record = verdict.to_json()
    io.write_json(args.out, record)
    if args.caption:
        io.write_text(args.caption, verdict_rst(record))
    print(f"claim {claim.id}: {'HOLDS' if verdict.holds else 'DOES NOT HOLD'}")
    for c in verdict.checks:
        print(f"  [{'x' if c.passed else ' '}] {c.text()}")
    return 0


def cmd_falsify(args: argparse.Namespace) -> int:
    fam, claim, arrays, specs, _ = _claim_inputs(args.claim, args.inputs)
    outcomes = falsify(fam, claim, arrays, specs)
    record = {"id": claim.id, "nulls": [o.to_json() for o in outcomes]}
    io.write_json(args.out, record)
    if args.caption:
        io.write_text(args.caption, nulls_rst(record))
    for o in outcomes:
        state = "rejected" if o.rejected else ("not discriminating" if not o.informative else "ACCEPTED")
        print(f"claim {claim.id}, null {o.name}: {state} (failed: {', '.join(o.failed_checks) or 'none'})")
    return 0


def _load_records(paths: Sequence[str]) -> list[dict]:
    return [io.read_json(p) for p in sorted(paths)]


def _falsification_by_claim(paths: Sequence[str]) -> dict[str, dict]:
    return {r["id"]: r for r in _load_records(paths)}


def cmd_collect(args: argparse.Namespace) -> int:
    verdicts = _load_records(args.verdicts)
    nulls = _falsification_by_claim(args.falsification)
    # the environment section: the sidecars beside the verdicts (<root>/sims next to <root>/claims)
    sidecars = environment.sidecars_of(args.sims or Path(sorted(args.verdicts)[0]).parent.parent / "sims")
    io.write_text(args.out, claims_markdown(verdicts, nulls) + environment.markdown(sidecars))
    if args.falsification_out:
        io.write_text(args.falsification_out, falsification_markdown([nulls[k] for k in sorted(nulls)]))
    print("\n".join(summary_lines(verdicts, nulls)))
    if warning := environment.outside_lock_warning(sidecars):
        print(warning)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    failing = failing_claims(_load_records(args.verdicts), _falsification_by_claim(args.falsification))
    if failing and args.strict:
        print(
            f"strict mode: {len(failing)} claim(s) do not hold or accept a null model: {', '.join(failing)}",
            file=sys.stderr,
        )
        return 1
    io.write_text(args.out, "ok\n" if not failing else "not holding: " + ", ".join(failing) + "\n")
    return 0


def cmd_robustness(args: argparse.Namespace) -> int:
    if len(args.seeds) != len(args.folders):
        raise SystemExit("--seeds and --folders must have the same length")
    by_seed = {
        int(s): _load_records([str(p) for p in sorted(Path(f).glob("claims/*.json"))])
        for s, f in zip(args.seeds, args.folders, strict=True)
    }
    io.write_text(args.out, robustness_markdown(by_seed))
    return 0


def cmd_snapshot_config(args: argparse.Namespace) -> int:
    """The run's resolved config as sorted, indented JSON (same config, same bytes)."""
    io.write_json(args.out, _parse_json_object(args.config, "config"))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """Exit 0 when no verdict changed between the two folders, 1 when some did, 2 when one cannot be read."""
    from dln import compare

    try:
        diff = compare.compare_folders(args.results_a, args.results_b, rtol=args.rtol)
    except compare.CompareError as err:
        print(f"dln compare: {err}", file=sys.stderr)
        return 2
    print(compare.render(diff, args.format), end="")
    return diff.exit_status


def _non_negative(text: str) -> float:
    value = float(text)
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {text}")
    return value


def cmd_check_config(args: argparse.Namespace) -> int:
    """Exit 1 naming ``file:line:column`` of each config file whose YAML syntax Snakemake would reject."""
    from dln.configfile import yaml_problem

    problems = [p for p in (yaml_problem(f) for f in args.files) if p]
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


def cmd_environment(_: argparse.Namespace) -> int:
    """Exit 0 when every package the lock pins is installed at its pinned version, else list what differs."""
    env = environment.current()
    if env.inside_lock:
        print(f"inside the lock {env.lock}: {len(env.packages)} packages at their pinned versions")
        return 0
    print(f"outside the lock {env.lock or environment.LOCK_FILE}:\n  " + "\n  ".join(env.outside_lock))
    return 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dln", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("list", help="list families, simulations and claims (with their sources)")
    p.set_defaults(func=cmd_list)
    p = sub.add_parser("layout", help="describe the arrays of a simulation's .npz")
    p.add_argument("family")
    p.add_argument("simulation")
    p.set_defaults(func=cmd_layout)
    for name, helptext in (
        ("simulate", "run one simulation into an .npz (+ .json sidecar)"),
        ("merge", "merge the parts of a simulation into its .npz (+ .json sidecar)"),
    ):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("family")
        p.add_argument("simulation")
        p.add_argument("--spec", required=True, help="the simulation's config slice, as JSON")
        p.add_argument("--seed", type=int, required=True)
        p.add_argument("--out", required=True)
        p.add_argument("--code", default="", help="code digest of the simulation (recorded in the sidecar)")
        if name == "simulate":
            p.add_argument("--part", type=int, default=None, help="run only this part (simulations in parts)")
            p.add_argument(
                "--needs", nargs="*", default=[], help="the .npz of each simulation it needs (its `needs`), in order"
            )
            p.set_defaults(func=cmd_simulate)
        else:
            p.add_argument("--parts", nargs="+", required=True, help="the parts' .npz files, in order")
            p.set_defaults(func=cmd_merge)
    p = sub.add_parser("verdict", help="assess one claim from its simulations")
    p.add_argument("claim")
    p.add_argument("--inputs", nargs="+", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--caption", default="", help="also write the figure's report caption (reStructuredText)")
    p.set_defaults(func=cmd_verdict)
    p = sub.add_parser("falsify", help="rerun one claim's verdict on each of its null models")
    p.add_argument("claim")
    p.add_argument("--inputs", nargs="+", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--caption", default="", help="also write the null-model part of the report caption")
    p.set_defaults(func=cmd_falsify)
    p = sub.add_parser("collect", help="write claims.md (and falsification.md) from the records")
    p.add_argument("verdicts", nargs="+")
    p.add_argument("--falsification", nargs="*", default=[])
    p.add_argument("--out", required=True)
    p.add_argument("--falsification-out", default="")
    p.add_argument("--sims", default=None, help="folder of the simulation sidecars (default: sims/ beside claims/)")
    p.set_defaults(func=cmd_collect)
    p = sub.add_parser("check", help="fail (in strict mode) if a claim does not hold or accepts a null model")
    p.add_argument("verdicts", nargs="+")
    p.add_argument("--falsification", nargs="*", default=[])
    p.add_argument("--strict", action="store_true")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("robustness", help="write robustness.md from results folders run at several root seeds")
    p.add_argument("--seeds", nargs="+", required=True)
    p.add_argument("--folders", nargs="+", required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_robustness)
    p = sub.add_parser("snapshot-config", help="write the resolved config of a run (JSON) as sorted JSON")
    p.add_argument("config", help="the config, as JSON")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_snapshot_config)
    p = sub.add_parser(
        "compare",
        help="what changed between two results folders: verdicts, checks, numbers, config (exit 1: a verdict did)",
    )
    p.add_argument("results_a", help="the old results folder (A)")
    p.add_argument("results_b", help="the new results folder (B)")
    p.add_argument("--rtol", type=_non_negative, default=0.0, help="hide numbers that moved by at most this much")
    p.add_argument("--format", choices=("markdown", "text"), default="markdown")
    p.set_defaults(func=cmd_compare)
    p = sub.add_parser("check-config", help="report YAML syntax errors of config files as file:line:column")
    p.add_argument("files", nargs="+")
    p.set_defaults(func=cmd_check_config)
    p = sub.add_parser("environment", help="check the installed packages against requirements.lock.txt")
    p.set_defaults(func=cmd_environment)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
