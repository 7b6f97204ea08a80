#!/usr/bin/env bash
# Installs Schemathesis (pinned) into its own virtualenv in the tool cache, for `harness fuzz`
# (idempotent: a finished install of this version is marked and skipped next time).
#   TOOLS = ${HARNESS_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/harness}; PYTHON = the interpreter (>= 3.10)
set -euo pipefail
version="4.32.5"
tools="${HARNESS_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/harness}"
python="${PYTHON:-python3}"
venv="$tools/venvs/schemathesis-$version"
marker="$venv/.schemathesis-installed"

if ! command -v "$python" >/dev/null 2>&1; then
  echo "schemathesis setup: $python not found; install Python 3.10 or newer (e.g. apt-get install python3 python3-venv)" >&2
  exit 1
fi
if [ ! -f "$marker" ]; then
  rm -rf "$venv"
  mkdir -p "$tools/venvs"
  if ! "$python" -m venv "$venv"; then
    echo "schemathesis setup: '$python -m venv' failed; on Debian/Ubuntu install python3-venv" >&2
    exit 1
  fi
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input "schemathesis==$version"
  "$venv/bin/st" --version >/dev/null
  touch "$marker"
fi
ln -sfn "$venv" "$tools/venvs/schemathesis.tmp" && mv -Tf "$tools/venvs/schemathesis.tmp" "$tools/venvs/schemathesis"
echo "schemathesis: $("$venv/bin/st" --version 2>&1 | head -1) at $tools/venvs/schemathesis"
