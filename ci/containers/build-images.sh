#!/usr/bin/env bash
# Builds the containers provider's images locally, pulling nothing from any image registry:
#   harness/postgres:15      Debian's postgresql-15 on a debootstrap root filesystem
#   harness/rabbitmq:3.10    Debian's rabbitmq-server on a debootstrap root filesystem
#   harness/toxiproxy:2.12.0 the Go-built toxiproxy-server from the harness tool cache
#   harness/kafka:4.1.1      Debian's headless JRE on a debootstrap root filesystem, plus the Kafka
#                            jars from the harness tool cache (fetched with Maven by ci/setup.sh)
# (names from images.env). Each root filesystem is made with `debootstrap --variant=minbase`,
# slimmed and `docker import`ed; a Dockerfile FROM it adds the entry point. Every image carries the
# hash of its recipe (this script's build functions, its Dockerfile and entry point, package list,
# binary) as the label harness.recipe; an image whose label matches is not built again.
# Prints the time and size of each image. Needs a running engine: bash ci/containers/setup-docker.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=../tools.env
. "$root/ci/tools.env"
# shellcheck source=images.env
. "$here/images.env"
say() { printf '[images] %s\n' "$*"; }
die() { printf '[images] %s\n' "$*" >&2; exit 1; }

suite=bookworm
mirror="${HARNESS_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
security_mirror="${HARNESS_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
cache="${HARNESS_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/harness}"
deb_cache="$cache/debootstrap/$suite"
# BuildKit (one snapshot per filesystem change, none for metadata: the vfs driver copies the whole
# filesystem for each). Debian's docker.io client has it built in; a newer client needs buildx.
# FROM a local image uses it as it is, with no registry lookup.
export DOCKER_BUILDKIT=1
docker=docker
[ -x /usr/bin/docker ] && docker=/usr/bin/docker
docker() { command "$docker" "$@"; }

docker version >/dev/null 2>&1 || die "no Docker engine answers: run bash ci/containers/setup-docker.sh"
command -v debootstrap >/dev/null || die "debootstrap is missing: run bash ci/containers/setup-docker.sh"
[ "$(id -u)" = 0 ] || die "debootstrap needs root: run as root (or with sudo)"

# The first 16 hex digits of the SHA-256 of stdin followed by the arguments.
sha_with() { { cat; printf '%s\n' "$@"; } | sha256sum | cut -c1-16; }
mib() { awk -v b="$1" 'BEGIN { printf "%.0f MiB", b / 1048576 }'; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }
image_size() { docker image inspect --format '{{.Size}}' "$1"; }
recipe_of() { docker image inspect --format '{{index .Config.Labels "harness.recipe"}}' "$1" 2>/dev/null || true; }

# Unmounts whatever debootstrap left mounted under a dir (it mounts proc/sys in the chroot), then
# removes the dir; refuses to remove it while anything is still mounted there.
remove_tree() {
  local dir="$1" mounts
  mounts="$(awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r)"
  for m in $mounts; do umount -l "$m" 2>/dev/null || true; done
  if awk -v d="$dir/" 'index($2, d) == 1 { found = 1 } END { exit !found }' /proc/self/mounts; then
    die "still mounted under $dir; not removing it"
  fi
  rm -rf "$dir"
}

# Ends any daemon a package's maintainer script started inside the chroot.
stop_chroot_processes() {
  local dir="$1" pid
  for link in /proc/[0-9]*/root; do
    pid="${link#/proc/}"; pid="${pid%/root}"
    if [ "$(readlink "$link" 2>/dev/null)" = "$dir" ]; then kill -9 "$pid" 2>/dev/null || true; fi
  done
}

# Installs packages into a debootstrap tree with apt, from the suite and its security updates,
# with the package cache shared across builds; policy-rc.d keeps maintainer scripts from starting
# the daemons (RabbitMQ's would start and be waited for) inside the chroot.
install_packages() {
  local dir="$1" packages="$2" apt status
  apt=(chroot "$dir" env DEBIAN_FRONTEND=noninteractive LC_ALL=C apt-get -qq -o Dpkg::Use-Pty=0)
  printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d" && chmod 0755 "$dir/usr/sbin/policy-rc.d" || return 1
  printf 'deb %s %s main\ndeb %s %s-updates main\ndeb %s %s-security main\n' "$mirror" "$suite" \
    "$mirror" "$suite" "$security_mirror" "$suite" >"$dir/etc/apt/sources.list" || return 1
  cp -L /etc/resolv.conf "$dir/etc/resolv.conf" || return 1
  mkdir -p "$dir/var/cache/apt/archives/partial" "$deb_cache/partial" || return 1
  mount -t proc proc "$dir/proc" || return 1
  mount --bind "$deb_cache" "$dir/var/cache/apt/archives" || return 1
  # shellcheck disable=SC2086 # a list of package names
  "${apt[@]}" update && "${apt[@]}" install --no-install-recommends $packages
  status=$?
  umount "$dir/var/cache/apt/archives" "$dir/proc" || return 1
  rm -f "$dir/usr/sbin/policy-rc.d" "$dir/etc/resolv.conf"
  return "$status"
}

# debootstrap minbase + packages, slimmed (docs, caches, plus the paths in $3, relative to /),
# imported as the image tag $1.
make_rootfs() {
  local tag="$1" packages="$2" remove="$3" dir log path
  dir="$(mktemp -d "${TMPDIR:-/var/tmp}/harness-rootfs.XXXXXX")"
  log="$dir.log"
  mkdir -p "$deb_cache"
  if ! { debootstrap --variant=minbase --cache-dir="$deb_cache" "$suite" "$dir" "$mirror" &&
    install_packages "$dir" "$packages"; } >"$log" 2>&1; then
    stop_chroot_processes "$dir"
    tail -n 20 "$log" >&2
    remove_tree "$dir"
    die "root filesystem for $tag failed (log above)"
  fi
  stop_chroot_processes "$dir"
  chmod 0755 "$dir" # mktemp made it 0700: it becomes the image's /
  set -f # the paths to remove are globs inside the tree, not here
  # shellcheck disable=SC2086 # each path is a glob inside the tree
  for path in $remove; do set +f; rm -rf "${dir:?}"/$path; set -f; done
  set +f
  rm -rf "$dir"/var/cache/apt/archives/* "$dir"/var/cache/apt/*.bin "$dir"/var/lib/apt/lists/* \
    "$dir"/usr/share/doc/* "$dir"/usr/share/man/* "$dir"/usr/share/info/* "$dir"/usr/share/locale/* \
    "$dir"/var/log/*.log "$dir"/var/log/apt/* "$dir"/var/cache/debconf/*-old "$dir"/tmp/*
  tar --numeric-owner -C "$dir" --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -c . |
    docker import --message "debootstrap $suite minbase + $packages" - "$tag" >/dev/null
  remove_tree "$dir"
  rm -f "$log"
}

# docker build of a context dir, offline, labelled with its recipe hash. No build cache: an image
# is built only when its recipe changed, and a cache kept across storage drivers goes stale.
build_image() {
  local name="$1" context="$2" hash="$3"; shift 3
  docker build --no-cache --progress plain --network none --label "harness.recipe=$hash" --tag "$name" "$@" "$context" \
    >"$context.build.log" 2>&1 ||
    { tail -n 30 "$context.build.log" >&2; die "docker build of $name failed"; }
  rm -f "$context.build.log"
}

# Uses the image $1 when its recipe label is $2, or retags another image with that label;
# otherwise runs the build command that follows. Reports time and size either way.
ensure_image() {
  local name="$1" hash="$2" start id
  shift 2
  start="$(now)"
  if [ "$(recipe_of "$name")" = "$hash" ]; then
    say "$name: cached (recipe $hash), $(mib "$(image_size "$name")"), checked in $(since "$start")"
    return
  fi
  id="$(docker images --quiet --filter "label=harness.recipe=$hash" | head -n 1)"
  if [ -n "$id" ]; then
    docker tag "$id" "$name"
    say "$name: cached (recipe $hash, retagged), $(mib "$(image_size "$name")")"
    return
  fi
  say "$name: building (recipe $hash)"
  "$@"
  say "$name: built in $(since "$start"), $(mib "$(image_size "$name")")"
}

# An image made of a debootstrap root filesystem (cached on its own) and a Dockerfile dir.
debian_image() {
  local name="$1" dir="$2" packages="$3" remove="$4" rootfs_hash hash rootfs old
  rootfs_hash="$(
    declare -f make_rootfs install_packages remove_tree stop_chroot_processes | sha_with "$suite $packages $remove"
  )"
  rootfs="harness/rootfs:$(basename "$dir")-$rootfs_hash"
  hash="$({ declare -f build_image build_debian_image; cat "$dir"/*; } | sha_with "$rootfs_hash")"
  ensure_image "$name" "$hash" build_debian_image "$name" "$dir" "$rootfs" "$hash" "$packages" "$remove"
  # Root filesystems of older recipes (their images stay while a built image still uses them).
  docker images --format '{{.Repository}}:{{.Tag}}' harness/rootfs | grep "^harness/rootfs:$(basename "$dir")-" |
    while read -r old; do [ "$old" = "$rootfs" ] || docker rmi "$old" >/dev/null 2>&1 || true; done
}

build_debian_image() {
  local name="$1" dir="$2" rootfs="$3" hash="$4" packages="$5" remove="$6" start ctx
  if docker image inspect "$rootfs" >/dev/null 2>&1; then
    say "  $rootfs: cached, $(mib "$(image_size "$rootfs")")"
  else
    start="$(now)"
    say "  $rootfs: debootstrap $suite minbase + $packages"
    make_rootfs "$rootfs" "$packages" "$remove"
    say "  $rootfs: imported in $(since "$start"), $(mib "$(image_size "$rootfs")")"
  fi
  ctx="$(mktemp -d)"
  cp -a "$dir"/. "$ctx"/
  build_image "$name" "$ctx" "$hash" --build-arg "BASE=$rootfs"
  rm -rf "$ctx"
}

# Kafka: Debian's headless JRE on a debootstrap root filesystem (made and cached as debian_image's
# are), the broker's jars at the pinned version from the harness tool cache copied in as libs/.
kafka_image() {
  local name="$1" dir="$2" packages="$3" remove="$4" libs rootfs_hash rootfs hash old
  libs="$cache/kafka-$KAFKA_VERSION/libs"
  [ -f "$libs/.complete" ] || die "no Kafka $KAFKA_VERSION jars in $libs: run bash ci/setup.sh"
  rootfs_hash="$(
    declare -f make_rootfs install_packages remove_tree stop_chroot_processes | sha_with "$suite $packages $remove"
  )"
  rootfs="harness/rootfs:$(basename "$dir")-$rootfs_hash"
  hash="$({
    declare -f build_image build_kafka_image
    cat "$dir"/*
    (cd "$libs" && sha256sum -- *.jar)
  } | sha_with "$rootfs_hash $KAFKA_VERSION")"
  ensure_image "$name" "$hash" build_kafka_image "$name" "$dir" "$rootfs" "$hash" "$packages" "$remove" "$libs"
  docker images --format '{{.Repository}}:{{.Tag}}' harness/rootfs | grep "^harness/rootfs:$(basename "$dir")-" |
    while read -r old; do [ "$old" = "$rootfs" ] || docker rmi "$old" >/dev/null 2>&1 || true; done
}

build_kafka_image() {
  local name="$1" dir="$2" rootfs="$3" hash="$4" packages="$5" remove="$6" libs="$7" start ctx
  if docker image inspect "$rootfs" >/dev/null 2>&1; then
    say "  $rootfs: cached, $(mib "$(image_size "$rootfs")")"
  else
    start="$(now)"
    say "  $rootfs: debootstrap $suite minbase + $packages"
    make_rootfs "$rootfs" "$packages" "$remove"
    say "  $rootfs: imported in $(since "$start"), $(mib "$(image_size "$rootfs")")"
  fi
  ctx="$(mktemp -d)"
  cp -a "$dir"/. "$ctx"/
  mkdir "$ctx/libs"
  cp -L "$libs"/*.jar "$ctx/libs/"
  build_image "$name" "$ctx" "$hash" --build-arg "BASE=$rootfs"
  rm -rf "$ctx"
}

# The toxiproxy-server binary plus the shared libraries it links, on an empty (scratch) image.
toxiproxy_image() {
  local name="$1" dir="$2" bin hash libs f
  bin="$(readlink -f "$cache/bin/toxiproxy-server" 2>/dev/null || true)"
  [ -x "$bin" ] || die "no toxiproxy-server in $cache/bin: run bash ci/setup.sh"
  libs="$(ldd "$bin" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')"
  hash="$({
    declare -f build_image build_toxiproxy_image
    cat "$dir"/*
    for f in "$bin" $libs; do sha256sum <"$(readlink -f "$f")"; done
  } | sha_with "$TOXIPROXY_VERSION")"
  ensure_image "$name" "$hash" build_toxiproxy_image "$name" "$dir" "$hash" "$bin" "$libs"
}

build_toxiproxy_image() {
  local name="$1" dir="$2" hash="$3" bin="$4" libs="$5" ctx lib
  ctx="$(mktemp -d)"
  cp -a "$dir"/. "$ctx"/
  mkdir -p "$ctx/rootfs/tmp"
  chmod 1777 "$ctx/rootfs/tmp"
  install -m 0755 "$bin" "$ctx/rootfs/toxiproxy"
  for lib in $libs; do
    mkdir -p "$ctx/rootfs$(dirname "$lib")"
    cp -L "$lib" "$ctx/rootfs$lib"
  done
  build_image "$name" "$ctx" "$hash"
  rm -rf "$ctx"
}

total="$(now)"
# PostgreSQL: Debian's default cluster goes (the entry point makes its own), and so does the JIT
# (LLVM is a third of the image; the entry point sets jit = off).
debian_image "$HARNESS_POSTGRES_IMAGE" "$here/postgres" postgresql-15 \
  'var/lib/postgresql/15 etc/postgresql/15 usr/lib/*/libLLVM-* usr/lib/postgresql/15/lib/llvmjit*
   usr/lib/postgresql/15/lib/bitcode'
debian_image "$HARNESS_RABBITMQ_IMAGE" "$here/rabbitmq" rabbitmq-server ''
toxiproxy_image "$HARNESS_TOXIPROXY_IMAGE" "$here/toxiproxy"
# Kafka needs no desktop parts of the JRE's dependencies (fonts, icons, sound), nor its legal
# texts, javac's symbol table (ct.sym) or the class archive of heaps over 32 GiB (nocoops).
kafka_image "$HARNESS_KAFKA_IMAGE" "$here/kafka" openjdk-17-jre-headless \
  'usr/share/fonts usr/share/icons usr/share/X11 usr/share/alsa usr/lib/jvm/*/legal usr/lib/jvm/*/man
   usr/lib/jvm/*/lib/ct.sym usr/lib/jvm/*/lib/server/classes_nocoops.jsa'
# Older builds of these images, untagged by the builds above.
docker image prune --force --filter label=harness.recipe >/dev/null
say "done in $(since "$total")"
