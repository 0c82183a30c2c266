#!/usr/bin/env bash
# Regenerate requirements.lock.txt from pyproject.toml (runtime + dev + slurm extras), with every file's hash.
#   bash tools/update_lock.sh                     keep the current pins, add/remove what pyproject.toml changed
#   bash tools/update_lock.sh --upgrade           take the newest releases the ranges in pyproject.toml allow
#   bash tools/update_lock.sh --upgrade-package numpy   move one package only
# uv runs from a throw-away venv at a fixed version, so the lock's format does not depend on the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION=0.13.9
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install -q "uv==$UV_VERSION"
"$tmp/venv/bin/uv" pip compile pyproject.toml --extra dev --extra slurm \
    --universal --python-version 3.11 --generate-hashes \
    --custom-compile-command "bash tools/update_lock.sh" \
    -q -o requirements.lock.txt "$@"
