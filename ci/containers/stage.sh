#!/usr/bin/env bash
# CI stage of the containers provider: a Docker engine (Debian's docker.io), the locally built
# images, then the provider's tests with HARNESS_PROVIDER=containers (on RabbitMQ and on Kafka),
# the contract and chaos stages on it, and one chaos scenario on Kafka. Extra arguments go to vitest
# (e.g. more test files to run on the containers provider once startInfra dispatches on it).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
start=$(date +%s)
bash "$here/setup-docker.sh"
bash "$here/build-images.sh"
# shellcheck source=images.env
. "$here/images.env"
export HARNESS_PROVIDER=containers TESTCONTAINERS_RYUK_DISABLED=true
echo "[containers] engine and images ready in $(( $(date +%s) - start )) s"
cd "$root"
junit=reports/junit
mkdir -p "$junit"
npx vitest run --project @harness/runtime runtime/test/containers.test.ts \
  --reporter=default --reporter=junit --outputFile.junit="$junit/containers-provider.xml" "$@"
# The same contract and chaos stages, on infrastructure from the containers provider. They write
# the same JUnit files as the contracts and chaos stages: those are kept, and this stage's results
# go to containers-*.xml, so neither run's counts replace the other's.
keep="$(mktemp -d)"
for part in contracts chaos; do
  if [ -f "$junit/$part.xml" ]; then cp -p "$junit/$part.xml" "$keep/"; fi
done
restore() {
  for part in contracts chaos; do
    if [ -f "$junit/$part.xml" ]; then mv "$junit/$part.xml" "$junit/containers-$part.xml"; fi
    if [ -f "$keep/$part.xml" ]; then cp -p "$keep/$part.xml" "$junit/$part.xml"; fi
  done
  rm -rf "$keep"
}
trap restore EXIT
node ci/bin/harness.ts contracts
node ci/bin/harness.ts chaos --profile ci
# A system that is not ours on the same provider: two of py-shop's scenarios (a link and a broker
# connection fault), reports kept out of the example stage's.
pyshop_reports="$(mktemp -d)"
node ci/bin/harness.ts --config examples/py-shop/harness.config.ts chaos payments-down-opens-breaker \
  broker-down-outbox-holds --reports-dir "$pyshop_reports"
rm -rf "$pyshop_reports"
# The reference system on Kafka, on the same provider: one broker outage (the Kafka container
# stopped and started again on its data while the outbox holds the events). Its reports go to
# reports/containers-kafka, apart from the kafka stage's.
kafka_start=$(date +%s)
HARNESS_BROKER=kafka node ci/bin/harness.ts chaos broker-outage-outbox-holds --reports-dir reports/containers-kafka
echo "[containers] Kafka chaos scenario took $(( $(date +%s) - kafka_start )) s"
left="$(docker ps -aq --filter label=io.harness.provider=containers)"
if [ -n "$left" ]; then
  echo "[containers] containers left behind: $left" >&2
  exit 1
fi
echo "[containers] stage took $(( $(date +%s) - start )) s"
