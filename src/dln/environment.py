"""The package versions a run used, held against the lock file `requirements.lock.txt`.

Every simulation sidecar records `current().to_json()`: the installed version of every package the lock pins
for this interpreter and platform, and whether the run was made inside the lock. A run is *outside the lock*
when an installed version differs from its pin or a pinned package is missing; packages the lock does not
name do not count (a user's environment may hold more). `markdown` summarises the sidecars of a results
folder for the claims table, so the report says which versions produced its numbers.
"""

from __future__ import annotations

import hashlib
import importlib.metadata as metadata
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement

LOCK_FILE = "requirements.lock.txt"
DISTRIBUTION = "dln-figures"


def canonical(name: str) -> str:
    """PEP 503 normalised project name (``Jinja2`` and ``jinja2``, ``smart_open`` and ``smart-open`` agree)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_lock(path: str | Path, env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The lock's pins that apply here (markers evaluated for ``env``, default this interpreter): name -> version.

    Reads the requirements format uv and pip-tools write: one ``name==version ; marker \\`` line per pin,
    followed by indented ``--hash`` lines; comments and option lines are skipped.
    """
    pins: dict[str, str] = {}
    for line in Path(path).read_text().splitlines():
        if not line.strip() or line[0] in "# \t-":
            continue
        req = Requirement(line.rstrip("\\").strip())
        if req.marker is not None and not req.marker.evaluate(dict(env) if env is not None else None):
            continue
        exact = [s.version for s in req.specifier if s.operator == "=="]
        if len(exact) != 1:
            raise ValueError(f"{path}: {line.strip()!r} is not an exact pin (name==version)")
        pins[canonical(req.name)] = exact[0]
    return pins


def installed_version(name: str) -> str | None:
    """The installed version of a distribution, or None when it is not installed."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def find_lock() -> Path | None:
    """The lock of the source tree this package was imported from (editable install), else of the cwd."""
    for root in (Path(__file__).resolve().parents[2], Path.cwd()):
        if (root / LOCK_FILE).is_file():
            return root / LOCK_FILE
    return None


@dataclass(frozen=True)
class Environment:
    """The installed versions of the lock's packages and how they differ from the lock."""

    lock: str | None
    lock_sha256: str | None
    packages: dict[str, str | None]
    outside_lock: list[str] = field(default_factory=list)

    @property
    def inside_lock(self) -> bool:
        return self.lock is not None and not self.outside_lock

    def to_json(self) -> dict[str, Any]:
        return {
            "lock": self.lock,
            "lock_sha256": self.lock_sha256,
            "inside_lock": self.inside_lock,
            "outside_lock": list(self.outside_lock),
            "packages": dict(sorted(self.packages.items())),
        }


def against_lock(lock: Path | None, version_of: Callable[[str], str | None] = installed_version) -> Environment:
    """Compare what ``version_of(name)`` reports with ``lock`` (None: no lock found; record direct deps only)."""
    if lock is None:
        requires = metadata.requires(DISTRIBUTION) if installed_version(DISTRIBUTION) else None
        direct = sorted({canonical(Requirement(r).name) for r in requires or [] if "extra ==" not in r})
        return Environment(None, None, {n: version_of(n) for n in direct}, [f"no lock file ({LOCK_FILE}) found"])
    pins = read_lock(lock)
    packages = {name: version_of(name) for name in pins}
    outside = [
        f"{name} {'missing' if have is None else have} (lock {pins[name]})"
        for name, have in sorted(packages.items())
        if have != pins[name]
    ]
    return Environment(lock.name, hashlib.sha256(lock.read_bytes()).hexdigest(), packages, outside)


@lru_cache(maxsize=1)
def current() -> Environment:
    """This process's environment against the lock found by `find_lock` (computed once per process)."""
    return against_lock(find_lock())


def markdown(sidecars: Mapping[str, Mapping[str, Any]]) -> str:
    """An 'Environment' section from simulation sidecars (path -> sidecar): the lock, the versions, any run outside.

    Sidecars written before environments were recorded count as outside the lock ("not recorded").
    """
    if not sidecars:
        return ""
    envs = {path: (s.get("provenance") or {}).get("environment") for path, s in sorted(sidecars.items())}
    lines = ["", "## Environment", ""]
    outside = {p: e for p, e in envs.items() if not (e and e.get("inside_lock"))}
    locks = sorted({f"`{e['lock']}` (sha256 {e['lock_sha256'][:12]})" for e in envs.values() if e and e.get("lock")})
    where = " and ".join(locks) or f"`{LOCK_FILE}`"
    if not outside:
        lines.append(f"All {len(envs)} simulation sidecars record a run inside the lock {where}.")
    else:
        lines.append(f"**{len(outside)} of {len(envs)} simulation sidecars record a run outside the lock** {where}:")
        lines.append("")
        by_reason: dict[str, list[str]] = {}
        for path, env in outside.items():
            why = "; ".join(env.get("outside_lock", [])) if env else "environment not recorded"
            by_reason.setdefault(why, []).append(f"`sims/{path}`")
        lines += [f"- {why}: {', '.join(paths)}" for why, paths in sorted(by_reason.items())]
    versions = sorted({tuple(sorted((e.get("packages") or {}).items())) for e in envs.values() if e})
    for i, packages in enumerate(versions):
        label = "Package versions" if len(versions) == 1 else f"Package versions (set {i + 1} of {len(versions)})"
        shown = ", ".join(f"{n} {v if v is not None else 'missing'}" for n, v in packages)
        lines += ["", f"{label}: {shown}."]
    return "\n".join(lines) + "\n"


def outside_lock_warning(sidecars: Mapping[str, Mapping[str, Any]]) -> str | None:
    """A one-line warning for the end of a run when any simulation ran outside the lock, else None."""
    outside = [
        p for p, s in sidecars.items() if not ((s.get("provenance") or {}).get("environment") or {}).get("inside_lock")
    ]
    if not outside:
        return None
    count = f"{len(outside)} of {len(sidecars)} simulation sidecars"
    return f"WARNING: {count} record a run outside {LOCK_FILE} (see claims.md)"


def sidecars_of(sims_dir: str | Path) -> dict[str, dict[str, Any]]:
    """Every simulation sidecar under ``sims_dir`` (``<family>/<sim>.json``), keyed by its path below it."""
    root = Path(sims_dir)
    return {str(p.relative_to(root)): json.loads(p.read_text()) for p in sorted(root.glob("*/*.json"))}
