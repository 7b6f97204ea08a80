#!/usr/bin/env bash
# CI stage of the reference system on Kafka (HARNESS_BROKER=kafka): the end-to-end system test
# (harness up on Kafka: an order confirmed, notified and in the order history), then the message
# chaos scenarios: the broker stopped and restarted, poison messages and duplicate deliveries
# (written to the topic, dead letters read from the <queue>.dlq topics), the gateway's broker link
# cut, notification killed between handling an event and committing its offset (redelivered to
# the restarted consumer once the group has handed its partitions on, recognised, handled once),
# and order's broker link slow, then resetting every connection (the outbox holds, nothing lost).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export HARNESS_BROKER=kafka
mkdir -p reports/junit
npx vitest run --project @harness/ci ci/test/systemKafka.test.ts \
  --reporter=default --reporter=junit --outputFile.junit=reports/junit/kafka-system.xml
# Its own reports dir, so the chaos stage's reports/junit/chaos.xml is left alone.
node ci/bin/harness.ts chaos broker-outage-outbox-holds poison-and-duplicate-messages \
  read-model-stale-while-broker-away notification-killed-before-ack order-broker-link-slow-then-reset \
  --reports-dir reports/kafka
