#!/usr/bin/env bash
# Docker engine for the containers provider: installs Debian's docker.io (and debootstrap, used by
# build-images.sh) when missing, and starts dockerd in the background when no engine answers.
# No init system is assumed: dockerd runs with the vfs storage driver (overlay mounts are not
# available inside every sandbox) and logs to $HARNESS_DOCKERD_LOG. Idempotent: when an engine
# already answers it only prints its version.
set -euo pipefail
say() { printf '[docker] %s\n' "$*"; }
sudo_cmd=""
[ "$(id -u)" = 0 ] || sudo_cmd="sudo"

socket="${HARNESS_DOCKER_SOCKET:-/var/run/docker.sock}"
log="${HARNESS_DOCKERD_LOG:-/var/log/harness-dockerd.log}"
driver="${HARNESS_DOCKER_STORAGE_DRIVER:-vfs}"

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

# 2. The engine.
if engine_answers; then
  say "engine already running (API $(docker -H "unix://$socket" version --format '{{.Server.APIVersion}}'))"
  exit 0
fi
if pgrep -x dockerd >/dev/null 2>&1; then
  say "a dockerd process exists but does not answer on $socket yet; waiting"
else
  say "starting dockerd (storage driver $driver, log $log)"
  # The init scripts are not used (no systemd here); containerd is started by dockerd itself.
  $sudo_cmd mkdir -p "$(dirname "$log")"
  # setsid: the daemon outlives this script and the shell that ran it.
  $sudo_cmd setsid "$dockerd_bin" --host "unix://$socket" --storage-driver "$driver" \
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
