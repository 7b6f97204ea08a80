#!/usr/bin/env bash
# Builds Jaeger v2 (cmd/jaeger) at the version pinned in tools.env into the tool cache (idempotent:
# a built binary of that version is kept). Jaeger's go.mod has replace directives, which
# `go install module@version` refuses; so a small module of our own requires it as a tool
# (`go get -tool`), repeats those replaces (JAEGER_REPLACES) and `go build`s it. Takes minutes.
#   TOOLS = ${HARNESS_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/harness}
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tools.env
. "$here/tools.env"
cache="${HARNESS_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/harness}"
dest="$cache/go/jaeger-$JAEGER_VERSION"
pkg="$JAEGER_MODULE/cmd/jaeger"

if [ ! -x "$dest/jaeger" ]; then
  command -v go >/dev/null || { echo "go is required to build jaeger: apt-get install golang-go" >&2; exit 1; }
  echo "[setup] go build $pkg@$JAEGER_VERSION (through a tool module; takes a few minutes)"
  src="$dest/src"
  rm -rf "$src"
  mkdir -p "$src"
  (
    cd "$src"
    printf 'module harness.local/jaeger-build\n\ngo 1.24\n' >go.mod
    go get -tool "$pkg@$JAEGER_VERSION"
    for replace in $JAEGER_REPLACES; do go mod edit -replace "$replace"; done
    go mod tidy
    GOFLAGS=-trimpath go build \
      -ldflags "-X $JAEGER_MODULE/internal/version.latestVersion=$JAEGER_VERSION" \
      -o "$dest/jaeger.partial" "$pkg"
  )
  mv "$dest/jaeger.partial" "$dest/jaeger"
  rm -rf "$src"
fi
mkdir -p "$cache/bin"
ln -sf "$dest/jaeger" "$cache/bin/jaeger"
echo "[setup] jaeger $JAEGER_VERSION at $cache/bin/jaeger"
