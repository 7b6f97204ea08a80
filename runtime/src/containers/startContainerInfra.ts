import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { InfraDescription, InfraOptions } from '../infraTypes.ts';
import { cleanupStaleContainers } from './cleanupStaleContainers.ts';
import { assertImagesAvailable, containerEngine, isContainerEngineError } from './engine.ts';
import { containerImages, CONTAINERS_SETUP_HINT, type ContainerImages } from './images.ts';
import { startKafkaContainer, type KafkaContainerServer } from './kafkaContainer.ts';
import { RUN_LABEL, runLabels } from './labels.ts';
import { startPostgresContainer, type PostgresContainerServer } from './postgresContainer.ts';
import { startRabbitMqContainer, type RabbitMqContainerServer } from './rabbitmqContainer.ts';
import { listContainers, removeContainers } from './removeContainers.ts';
import { startToxiproxyContainer, type ToxiproxyContainerServer } from './toxiproxyContainer.ts';
import { watchRun } from './watchRun.ts';
import { kafkaClientsOf, wireTopology } from '../wireTopology.ts';

export interface ContainerInfraOptions extends InfraOptions {
  /** Default: containerImages(process.env), i.e. HARNESS_*_IMAGE or the official images. */
  images?: ContainerImages;
  startupTimeoutMs?: number;
}

/** The local provider's description, plus what identifies the containers (pids are -1 here). */
interface ContainerInfraDescription extends InfraDescription {
  provider: 'containers';
  runId: string;
  containers: { postgres: string; rabbitmq?: string; kafka?: string; toxiproxy: string };
  images: ContainerImages;
}

export interface ContainerInfra {
  description: ContainerInfraDescription;
  postgres: PostgresContainerServer;
  /** The broker, as the topology says: RabbitMQ, or Kafka (`stopNode()` / `startNode()`: a broker outage). */
  rabbitmq?: RabbitMqContainerServer;
  kafka?: KafkaContainerServer;
  toxiproxy: ToxiproxyContainerServer;
  /** Removes every container of this run; idempotent. */
  stop(): Promise<void>;
}

/**
 * The containers provider: PostgreSQL, the broker (RabbitMQ, or Kafka when the topology's broker
 * is Kafka) and Toxiproxy as containers (testcontainers), then the same databases, roles and
 * proxies as the local provider, described in the same shape. On Kafka every broker client gets a
 * listener of its own, advertised at its proxy's address, as with the local provider.
 * Containers carry the run's labels; stop() and a failure while starting remove them, a reaper
 * process removes them when this process ends without stop() (Ctrl-C, crash, kill -9), and the
 * next start removes any a killed reaper left (cleanupStaleContainers).
 */
export async function startContainerInfra(opts: ContainerInfraOptions): Promise<ContainerInfra> {
  const logDir = path.join(opts.runDir, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const images = opts.images ?? containerImages();
  const client = await containerEngine();
  await cleanupStaleContainers();
  const onKafka = opts.topology.broker === 'kafka';
  // Only the images this run starts: a RabbitMQ run needs no Kafka image, and the other way round.
  await assertImagesAvailable(client, {
    postgres: images.postgres,
    toxiproxy: images.toxiproxy,
    ...(onKafka ? { kafka: images.kafka } : { rabbitmq: images.rabbitmq }),
  });
  const runId = randomUUID();
  const labels = runLabels(runId);
  // Removes the run's containers if this process ends without stop() (Ctrl-C, crash, kill -9).
  const watch = await watchRun(runId);
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      // Every container labelled with this run, also one whose start() failed half-way.
      await removeContainers(client, await listContainers(client, [`${RUN_LABEL}=${runId}`]));
      watch.release();
    })();
    return stopping;
  };
  try {
    const timeouts = opts.startupTimeoutMs === undefined ? {} : { startupTimeoutMs: opts.startupTimeoutMs };
    // Reserved now (Kafka must advertise them), the proxies made once Kafka runs.
    const kafkaClients = onKafka ? await kafkaClientsOf(opts.topology) : [];
    const [postgres, broker, toxiproxy] = await allOrError([
      startPostgresContainer({ image: images.postgres, labels, logDir, ...timeouts }),
      onKafka
        ? startKafkaContainer(client, { image: images.kafka, labels, logDir, clients: kafkaClients, ...timeouts })
        : startRabbitMqContainer({ image: images.rabbitmq, labels, logDir, ...timeouts }),
      startToxiproxyContainer({
        image: images.toxiproxy,
        labels,
        logDir,
        ...(opts.seed === undefined ? {} : { seed: opts.seed }),
        ...(opts.toxiproxyPort === undefined ? {} : { port: opts.toxiproxyPort }),
      }),
    ]);
    const rabbitmq = 'user' in broker ? broker : undefined;
    const kafka = 'user' in broker ? undefined : broker;
    const { services, proxies } = await wireTopology({
      topology: opts.topology,
      postgres,
      broker: rabbitmq ?? { kind: 'kafka', listeners: kafka?.clientListeners ?? {} },
      toxiproxy: toxiproxy.client,
      logDir,
    });
    const description: ContainerInfraDescription = {
      runDir: opts.runDir,
      logDir,
      postgres: { url: postgres.url(), port: postgres.port, pid: -1 },
      ...(rabbitmq ? { rabbitmq: { url: rabbitmq.url, port: rabbitmq.port, pid: -1, epmdPid: -1 } } : {}),
      ...(kafka ? { kafka: { internalBootstrap: kafka.internalBootstrap, pid: -1 } } : {}),
      toxiproxy: { url: toxiproxy.url, port: toxiproxy.port, pid: -1 },
      services,
      proxies,
      provider: 'containers',
      runId,
      containers: {
        postgres: postgres.containerId,
        ...(rabbitmq ? { rabbitmq: rabbitmq.containerId } : {}),
        ...(kafka ? { kafka: kafka.containerId } : {}),
        toxiproxy: toxiproxy.containerId,
      },
      images,
    };
    return { description, postgres, ...(rabbitmq ? { rabbitmq } : {}), ...(kafka ? { kafka } : {}), toxiproxy, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    if (isContainerEngineError(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`containers provider could not start: ${reason}\n${CONTAINERS_SETUP_HINT}`, { cause: error });
  }
}

/** Waits for all (so none is left starting when one fails), then throws the first failure. */
async function allOrError<T extends readonly unknown[]>(
  promises: readonly [...{ [K in keyof T]: Promise<T[K]> }],
): Promise<T> {
  const pending: readonly Promise<unknown>[] = promises;
  const results = await Promise.allSettled(pending);
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
