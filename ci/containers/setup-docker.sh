#!/usr/bin/env bash
# Docker engine for the containers provider: installs Debian's docker.io (and debootstrap, used by
# build-images.sh) when missing, and starts dockerd in the background when no engine answers.
# No init system is assumed: dockerd runs in the background, logging to $HARNESS_DOCKERD_LOG, with
# the overlay2 storage driver when this kernel mounts overlay filesystems on /var/lib/docker's
# filesystem, else vfs (which works everywhere but copies a whole image for each container);
# HARNESS_DOCKER_STORAGE_DRIVER forces one. Idempotent: when an engine already answers it only
# prints its version and driver (images are per driver: switching means building them again).
set -euo pipefail
say() { printf '[docker] %s\n' "$*"; }
sudo_cmd=""
[ "$(id -u)" = 0 ] || sudo_cmd="sudo"

socket="${HARNESS_DOCKER_SOCKET:-/var/run/docker.sock}"
log="${HARNESS_DOCKERD_LOG:-/var/log/harness-dockerd.log}"
data_root="${HARNESS_DOCKER_DATA_ROOT:-/var/lib/docker}"

# 1. Packages. Debian's docker.io brings dockerd, containerd, runc and its own client; a docker
#    client that is already on PATH (e.g. /usr/local/bin/docker) is fine to keep.
missing=()
for p in docker.io debootstrap; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  say "apt-get install ${missing[*]}"
  $sudo_cmd apt-get update -qq
  # Without an init system the package's own start of the daemon fails quietly; step 2 starts it.
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
dockerd_bin="$(command -v dockerd || echo /usr/sbin/dockerd)"
[ -x "$dockerd_bin" ] || { echo "dockerd not found after installing docker.io" >&2; exit 1; }

engine_answers() { docker -H "unix://$socket" version --format '{{.Server.APIVersion}}' >/dev/null 2>&1; }

# True when an overlay filesystem can be mounted (and written) on the engine's data filesystem.
overlay_works() {
  local probe ok=1
  $sudo_cmd mkdir -p "$data_root"
  probe="$($sudo_cmd mktemp -d "$data_root/../.harness-overlay-probe.XXXXXX")" || return 1
  $sudo_cmd mkdir -p "$probe"/{lower,upper,work,merged}
  if $sudo_cmd mount -t overlay overlay \
    -o "lowerdir=$probe/lower,upperdir=$probe/upper,workdir=$probe/work" "$probe/merged" 2>/dev/null; then
    $sudo_cmd touch "$probe/merged/probe" 2>/dev/null && ok=0
    $sudo_cmd umount "$probe/merged"
  fi
  $sudo_cmd rm -rf "$probe"
  return "$ok"
}

# 2. The engine.
if engine_answers; then
  say "engine already running (API $(docker -H "unix://$socket" version --format '{{.Server.APIVersion}}'), driver $(docker -H "unix://$socket" info --format '{{.Driver}}'))"
  exit 0
fi
if pgrep -x dockerd >/dev/null 2>&1; then
  say "a dockerd process exists but does not answer on $socket yet; waiting"
else
  driver="${HARNESS_DOCKER_STORAGE_DRIVER:-}"
  if [ -z "$driver" ]; then
    if overlay_works; then driver=overlay2; else driver=vfs; fi
  fi
  say "starting dockerd (storage driver $driver, log $log)"
  # The init scripts are not used (no systemd here); containerd is started by dockerd itself.
  $sudo_cmd mkdir -p "$(dirname "$log")"
  # setsid: the daemon outlives this script and the shell that ran it.
  $sudo_cmd setsid "$dockerd_bin" --host "unix://$socket" --data-root "$data_root" --storage-driver "$driver" \
    >>"$log" 2>&1 </dev/null &
fi
for _ in $(seq 1 120); do
  if engine_answers; then
    say "engine ready (API $(docker -H "unix://$socket" version --format '{{.Server.APIVersion}}'), driver $(docker -H "unix://$socket" info --format '{{.Driver}}'))"
    exit 0
  fi
  if ! pgrep -x dockerd >/dev/null 2>&1; then
    echo "dockerd exited while starting; last lines of $log:" >&2
    tail -n 30 "$log" >&2 || true
    exit 1
  fi
  sleep 0.5
done
echo "dockerd did not answer on $socket within 60 s; last lines of $log:" >&2
tail -n 30 "$log" >&2 || true
exit 1
