#!/bin/bash
# The official apache/kafka image's start-up contract, for the Kafka jars on Debian's JRE:
# - every KAFKA_<NAME> variable but the JVM ones is a server property: <name> lower-cased, `_` a
#   dot, `__` a dash, `___` an underscore (KAFKA_ADVERTISED_LISTENERS -> advertised.listeners);
#   with none set, a single node (broker + controller) on 9092, advertised at localhost:9092;
# - in KRaft mode (process.roles) the log dirs are formatted once, with CLUSTER_ID, and kept as
#   they are on a restart of the container (docker stop / start keeps the broker's data);
# - KAFKA_HEAP_OPTS sizes the heap (default here: capped at 256 MiB), KAFKA_JVM_PERFORMANCE_OPTS
#   and KAFKA_OPTS are added to the JVM's options; logs go to stdout (KAFKA_LOG4J_ROOT_LOGLEVEL,
#   default WARN, plus the line saying the node started);
# - `docker-entrypoint.sh cds` (run once when the image is built) writes the JVMs' class data
#   sharing archives, so the storage format and the server start faster.
set -Eeuo pipefail

home="${KAFKA_HOME:-/opt/kafka}"
config="$home/config/server.properties"
log4j="$home/config/log4j2.properties"

# Variables that configure the JVM or the scripts, not the server.
jvm_vars=' KAFKA_HOME KAFKA_HEAP_OPTS KAFKA_JVM_PERFORMANCE_OPTS KAFKA_OPTS KAFKA_LOG4J_OPTS KAFKA_GC_LOG_OPTS
  KAFKA_JMX_OPTS KAFKA_JMX_PORT KAFKA_JMX_HOSTNAME KAFKA_LOG4J_ROOT_LOGLEVEL KAFKA_LOG4J_LOGGERS
  KAFKA_TOOLS_LOG4J_LOGLEVEL KAFKA_DEBUG '

server_vars() {
  local name
  for name in $(compgen -e); do
    case "$name" in KAFKA_*) ;; *) continue ;; esac
    case "$jvm_vars" in *[[:space:]]"$name"[[:space:]]*) continue ;; esac
    echo "$name"
  done
}

# Writes server.properties from the KAFKA_* variables (defaults when none is set) and log4j2's
# config, and sets jvm: the options both JVMs (storage format, server) run with.
configure() {
  if [ -z "$(server_vars)" ]; then
    export KAFKA_NODE_ID=1 KAFKA_PROCESS_ROLES=broker,controller \
      KAFKA_LISTENERS=PLAINTEXT://:9092,CONTROLLER://:9093 \
      KAFKA_ADVERTISED_LISTENERS=PLAINTEXT://localhost:9092 \
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT \
      KAFKA_CONTROLLER_LISTENER_NAMES=CONTROLLER KAFKA_CONTROLLER_QUORUM_VOTERS=1@localhost:9093 \
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR=1 KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR=1 \
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR=1 KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR=1 \
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR=1 KAFKA_LOG_DIRS="${default_log_dirs:-/var/lib/kafka/data}"
  fi
  local name key
  {
    for name in $(server_vars); do
      key="${name#KAFKA_}"
      key="${key,,}"
      key="${key//___/%}"
      key="${key//__/-}"
      key="${key//_/.}"
      printf '%s=%s\n' "${key//%/_}" "${!name}"
    done
  } >"$config"
  {
    echo 'status = error'
    echo 'appender.stdout.type = Console'
    echo 'appender.stdout.name = stdout'
    echo 'appender.stdout.layout.type = PatternLayout'
    echo 'appender.stdout.layout.pattern = [%d] %p %m (%c)%n'
    echo "rootLogger.level = ${KAFKA_LOG4J_ROOT_LOGLEVEL:-WARN}"
    echo 'rootLogger.appenderRef.stdout.ref = stdout'
    # The one info line worth keeping: when the node finished starting.
    echo 'logger.started.name = kafka.server.KafkaRaftServer'
    echo 'logger.started.level = INFO'
  } >"$log4j"
  # shellcheck disable=SC2206 # each is a list of JVM options, as in the official image
  jvm=(${KAFKA_HEAP_OPTS:--Xmx256m -Xms64m}
    ${KAFKA_JVM_PERFORMANCE_OPTS:--XX:+UseSerialGC -XX:MaxMetaspaceSize=96m}
    ${KAFKA_OPTS:-} -Djava.awt.headless=true "-Dlog4j2.configurationFile=$log4j" -cp "$home/libs/*")
}

# Formats the log dirs unless all are formatted already (a restarted container keeps its data and
# cluster id: no JVM spent on it). Extra arguments go to the JVM.
format_storage() {
  local dirs dir formatted
  dirs="$(sed -n 's/^log\.dirs\{0,1\}=//p' "$config" | tr , ' ')"
  formatted="${dirs:+yes}"
  for dir in $dirs; do [ -f "$dir/meta.properties" ] || formatted=no; done
  if [ "$formatted" != yes ] && grep -q '^process.roles=' "$config"; then
    java "${jvm[@]}" "$@" kafka.tools.StorageTool format --ignore-formatted -t "${CLUSTER_ID:-5L6g3nShT-eMCtK--X86sw}" \
      -c "$config" >/dev/null
  fi
}

# Class data sharing archives of the classes each JVM loads (as the official image has): a format
# and a start of a default node at build time write them; both JVMs start faster with them.
cds_options() { if [ -f "$home/$1.jsa" ]; then echo "-XX:SharedArchiveFile=$home/$1.jsa"; fi; }

if [ "${1:-}" = cds ]; then
  default_log_dirs=/tmp/cds-data
  configure
  format_storage "-XX:ArchiveClassesAtExit=$home/storage.jsa"
  java "${jvm[@]}" "-XX:ArchiveClassesAtExit=$home/kafka.jsa" kafka.Kafka "$config" >/tmp/cds.log 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    grep -q 'Kafka Server started' /tmp/cds.log && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" || true
  grep -q 'Kafka Server started' /tmp/cds.log || { cat /tmp/cds.log >&2; exit 1; }
  rm -rf /tmp/cds-data /tmp/cds.log "$config" "$log4j"
  exit 0
fi

if [ "${1:-}" = kafka ]; then
  configure
  # shellcheck disable=SC2046 # none or one option
  format_storage $(cds_options storage)
  # shellcheck disable=SC2046 # none or one option
  set -- java "${jvm[@]}" $(cds_options kafka) kafka.Kafka "$config"
fi

exec "$@"
