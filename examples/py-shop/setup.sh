#!/usr/bin/env bash
# Creates py-shop's virtualenv (idempotent): ${TOOLS}/venvs/py-shop-<hash of requirements.txt>,
# with every pinned requirement, and points ${TOOLS}/venvs/py-shop at it. A finished install is
# marked and skipped next time; a changed requirements.txt gets a new virtualenv.
#   TOOLS = ${HARNESS_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/harness}
#   PYTHON = the interpreter to use (default python3, must be >= 3.10)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tools="${HARNESS_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/harness}"
python="${PYTHON:-python3}"

if ! command -v "$python" >/dev/null 2>&1; then
  echo "py-shop setup: $python not found; install Python 3.10 or newer (e.g. apt-get install python3 python3-venv)" >&2
  exit 1
fi
if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)'; then
  echo "py-shop setup: Python 3.10 or newer is required, $python is $("$python" -c 'import platform; print(platform.python_version())')" >&2
  exit 1
fi

hash="$(sha256sum "$here/requirements.txt" | cut -c1-12)"
venv="$tools/venvs/py-shop-$hash"
marker="$venv/.py-shop-installed"

if [ ! -f "$marker" ]; then
  rm -rf "$venv"
  mkdir -p "$tools/venvs"
  if ! "$python" -m venv "$venv"; then
    echo "py-shop setup: '$python -m venv' failed; on Debian/Ubuntu install python3-venv" >&2
    exit 1
  fi
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$here/requirements.txt"
  "$venv/bin/python" -c 'import fastapi, uvicorn, psycopg, psycopg_pool, aio_pika, httpx, tenacity, pybreaker, pact, pytest'
  touch "$marker"
fi
ln -sfn "$venv" "$tools/venvs/py-shop.tmp" && mv -Tf "$tools/venvs/py-shop.tmp" "$tools/venvs/py-shop"
echo "py-shop: virtualenv ready at $tools/venvs/py-shop ($("$venv/bin/python" -c 'import platform; print("Python", platform.python_version())'), requirements $hash)"
