import { GenericContainer, type ContainerRuntimeClient } from 'testcontainers';
import {
  answersMetadata,
  clientListenerName,
  newClusterId,
  singleNodeSettings,
  type KafkaServer,
} from '../local/kafka.ts';
import { freePort, LOOPBACK } from '../ports.ts';
import { waitUntil } from '../wait.ts';
import { logToFile } from './containerLogs.ts';
import { publishOnLoopback } from './loopback.ts';

/** Ports inside the container: the clients' listeners from CLIENT_PORT on, each published. */
const CLIENT_PORT = 19092;
/** The harness's own listener, published. */
const INTERNAL_PORT = 29092;
/** Broker to itself (transaction markers, for one) and the controller: inside the container only. */
const BROKER_PORT = 29094;
const CONTROLLER_PORT = 29093;
/** Where the data lives: writable in the official image and in ours. */
const LOG_DIRS = '/tmp/kraft-combined-logs';

/** Kafka as the rest of the harness sees it, whoever runs it. */
type KafkaEndpoint = Omit<KafkaServer, 'process'>;

export interface KafkaContainerServer extends KafkaEndpoint {
  containerId: string;
}

export interface KafkaContainerOptions {
  image: string;
  labels: Record<string, string>;
  logDir: string;
  /** One client listener each, advertised where the client connects (its Toxiproxy proxy). */
  clients: readonly { name: string; advertised: { host: string; port: number } }[];
  /** JVM heap cap. Default 256m. */
  maxHeap?: string;
  /** Partitions of a topic created without a count. Default 3. */
  partitions?: number;
  startupTimeoutMs?: number;
}

interface ClientListener {
  name: string;
  advertised: { host: string; port: number };
  /** The Kafka listener name (CLIENT_<NAME>). */
  listener: string;
  /** Where it listens in the container, and the loopback port that is published on. */
  containerPort: number;
  hostPort: number;
}

class LoopbackContainer extends GenericContainer {
  protected override async beforeContainerCreated(): Promise<void> {
    publishOnLoopback(this.hostConfig);
  }
}

/**
 * One Kafka node in KRaft mode in a container (official apache/kafka image contract: KAFKA_*
 * variables are its properties), configured like the local provider's: a capped heap, one
 * listener per client advertised at the client's own proxy, and the harness's own listener. Every
 * listener the host needs is published on a loopback port fixed before the start (the broker
 * must advertise it), so a `docker stop` / `docker start` (stopNode / startNode: a broker outage
 * that keeps the data) brings the node back on the same ports.
 */
export async function startKafkaContainer(
  client: ContainerRuntimeClient,
  opts: KafkaContainerOptions,
): Promise<KafkaContainerServer> {
  const [first] = opts.clients;
  if (!first) throw new Error('Kafka: at least one client listener is needed');
  const clients: ClientListener[] = [];
  for (const [i, c] of opts.clients.entries()) {
    const listener = clientListenerName(c.name);
    if (clients.some((known) => known.listener === listener)) throw new Error(`Kafka: two clients named ${c.name}`);
    clients.push({ ...c, listener, containerPort: CLIENT_PORT + i, hostPort: await freePort() });
  }
  const internalHostPort = await freePort();
  const internalBootstrap = `${LOOPBACK}:${internalHostPort}`;
  const clusterId = newClusterId();
  const listeners = [
    ...clients.map((c) => `${c.listener}://0.0.0.0:${c.containerPort}`),
    `INTERNAL://0.0.0.0:${INTERNAL_PORT}`,
    `BROKER://${LOOPBACK}:${BROKER_PORT}`,
    `CONTROLLER://${LOOPBACK}:${CONTROLLER_PORT}`,
  ];
  const advertised = [
    ...clients.map((c) => `${c.listener}://${c.advertised.host}:${c.advertised.port}`),
    `INTERNAL://${internalBootstrap}`,
    `BROKER://${LOOPBACK}:${BROKER_PORT}`,
  ];
  const protocols = [...clients.map((c) => c.listener), 'INTERNAL', 'BROKER', 'CONTROLLER'].map(
    (name) => `${name}:PLAINTEXT`,
  );
  const properties: Record<string, string> = {
    'node.id': '1',
    'process.roles': 'broker,controller',
    'controller.quorum.voters': `1@${LOOPBACK}:${CONTROLLER_PORT}`,
    listeners: listeners.join(','),
    'advertised.listeners': advertised.join(','),
    'listener.security.protocol.map': protocols.join(','),
    'inter.broker.listener.name': 'BROKER',
    'controller.listener.names': 'CONTROLLER',
    'log.dirs': LOG_DIRS,
    ...singleNodeSettings(opts.partitions ?? 3),
  };
  const started = await new LoopbackContainer(opts.image)
    .withEnvironment({
      ...Object.fromEntries(Object.entries(properties).map(([key, value]) => [environmentName(key), value])),
      CLUSTER_ID: clusterId,
      KAFKA_HEAP_OPTS: `-Xmx${opts.maxHeap ?? '256m'} -Xms64m`,
      // One small heap on a shared machine: the serial collector has the least overhead.
      KAFKA_JVM_PERFORMANCE_OPTS: '-XX:+UseSerialGC -XX:MaxMetaspaceSize=96m',
    })
    .withExposedPorts(...clients.map((c) => ({ container: c.containerPort, host: c.hostPort })), {
      container: INTERNAL_PORT,
      host: internalHostPort,
    })
    .withLabels(opts.labels)
    .withLogConsumer(logToFile(opts.logDir, 'kafka'))
    .withStartupTimeout(opts.startupTimeoutMs ?? 120_000)
    .start();
  const container = client.container.getById(started.getId());
  const ready = (): Promise<void> =>
    waitUntil('Kafka container', () => answersMetadata(internalHostPort), {
      timeoutMs: opts.startupTimeoutMs ?? 60_000,
      intervalMs: 250,
    });
  const stop = async (): Promise<void> => {
    await started.stop({ remove: true, removeVolumes: true, timeout: 2_000 });
  };
  try {
    await ready();
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    host: LOOPBACK,
    port: clients[0]?.hostPort ?? 0,
    bootstrap: `${first.advertised.host}:${first.advertised.port}`,
    internalBootstrap,
    clientListeners: Object.fromEntries(
      clients.map((c) => [c.name, { port: c.hostPort, bootstrap: `${c.advertised.host}:${c.advertised.port}` }]),
    ),
    clusterId,
    containerId: started.getId(),
    async stopNode() {
      // SIGTERM (a controlled shutdown), SIGKILL after 10 s; the container and its data stay.
      await container.stop({ t: 10 }).catch(ignoreStatus(304));
    },
    async startNode() {
      const since = Math.floor(Date.now() / 1000);
      await container.start().catch(ignoreStatus(304));
      // The first log stream ended with the stop: follow the restarted node's output too.
      logToFile(opts.logDir, 'kafka')(await client.container.logs(container, { since }));
      await ready();
    },
    stop,
  };
}

/** A property's variable in the official image's contract: `.` `_`, `-` `__`, `_` `___`, upper case. */
function environmentName(property: string): string {
  return `KAFKA_${property.replaceAll('_', '___').replaceAll('-', '__').replaceAll('.', '_').toUpperCase()}`;
}

/** Docker answers 304 to a stop of a stopped container and a start of a running one: no error. */
function ignoreStatus(status: number): (error: unknown) => void {
  return (error) => {
    if ((error as { statusCode?: number }).statusCode !== status) throw error;
  };
}
