#!/bin/bash
# The official rabbitmq image's start-up contract, for a Debian-packaged RabbitMQ: the default
# user comes from RABBITMQ_DEFAULT_USER / RABBITMQ_DEFAULT_PASS and may connect from outside the
# container; logs go to stdout ("Server startup complete" marks readiness).
set -Eeuo pipefail

if [ "${1:-}" = rabbitmq-server ]; then
  if [ ! -e "$RABBITMQ_CONFIG_FILE" ]; then
    {
      echo 'listeners.tcp.default = 5672'
      echo "default_user = ${RABBITMQ_DEFAULT_USER:-guest}"
      echo "default_pass = ${RABBITMQ_DEFAULT_PASS:-guest}"
      echo "default_vhost = ${RABBITMQ_DEFAULT_VHOST:-/}"
      echo 'loopback_users = none'
      echo 'log.console = true'
      echo 'log.file = false'
      echo "vm_memory_high_watermark.relative = ${RABBITMQ_VM_MEMORY_HIGH_WATERMARK:-0.2}"
      echo 'disk_free_limit.absolute = 50MB'
    } >"$RABBITMQ_CONFIG_FILE"
  fi
  [ -e "$RABBITMQ_ENABLED_PLUGINS_FILE" ] || echo '[].' >"$RABBITMQ_ENABLED_PLUGINS_FILE"
fi

exec "$@"
