import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { InfraDescription, InfraOptions } from '../infraTypes.ts';
import { cleanupStaleContainers } from './cleanupStaleContainers.ts';
import { assertImagesAvailable, containerEngine, isContainerEngineError } from './engine.ts';
import { containerImages, CONTAINERS_SETUP_HINT, type ContainerImages } from './images.ts';
import { RUN_LABEL, runLabels } from './labels.ts';
import { startPostgresContainer, type PostgresContainerServer } from './postgresContainer.ts';
import { startRabbitMqContainer, type RabbitMqContainerServer } from './rabbitmqContainer.ts';
import { listContainers, removeContainers } from './removeContainers.ts';
import { startToxiproxyContainer, type ToxiproxyContainerServer } from './toxiproxyContainer.ts';
import { watchRun } from './watchRun.ts';
import { wireTopology } from '../wireTopology.ts';

export interface ContainerInfraOptions extends InfraOptions {
  /** Default: containerImages(process.env), i.e. HARNESS_*_IMAGE or the official images. */
  images?: ContainerImages;
  startupTimeoutMs?: number;
}

/** The local provider's description, plus what identifies the containers (pids are -1 here). */
interface ContainerInfraDescription extends InfraDescription {
  provider: 'containers';
  runId: string;
  containers: { postgres: string; rabbitmq: string; toxiproxy: string };
  images: ContainerImages;
}

export interface ContainerInfra {
  description: ContainerInfraDescription;
  postgres: PostgresContainerServer;
  rabbitmq: RabbitMqContainerServer;
  toxiproxy: ToxiproxyContainerServer;
  /** Removes every container of this run; idempotent. */
  stop(): Promise<void>;
}

/**
 * The containers provider: PostgreSQL, RabbitMQ and Toxiproxy as containers (testcontainers),
 * then the same databases, roles and proxies as the local provider, described in the same shape.
 * Containers carry the run's labels; stop() and a failure while starting remove them, a reaper
 * process removes them when this process ends without stop() (Ctrl-C, crash, kill -9), and the
 * next start removes any a killed reaper left (cleanupStaleContainers).
 */
export async function startContainerInfra(opts: ContainerInfraOptions): Promise<ContainerInfra> {
  if (opts.topology.broker === 'kafka')
    throw new Error('the containers provider runs RabbitMQ only: run HARNESS_BROKER=kafka with HARNESS_PROVIDER=local');
  const logDir = path.join(opts.runDir, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const images = opts.images ?? containerImages();
  const client = await containerEngine();
  await cleanupStaleContainers();
  await assertImagesAvailable(client, images);
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
    const [postgres, rabbitmq, toxiproxy] = await allOrError([
      startPostgresContainer({ image: images.postgres, labels, logDir, ...timeouts }),
      startRabbitMqContainer({ image: images.rabbitmq, labels, logDir, ...timeouts }),
      startToxiproxyContainer({
        image: images.toxiproxy,
        labels,
        logDir,
        ...(opts.seed === undefined ? {} : { seed: opts.seed }),
        ...(opts.toxiproxyPort === undefined ? {} : { port: opts.toxiproxyPort }),
      }),
    ]);
    const { services, proxies } = await wireTopology({
      topology: opts.topology,
      postgres,
      broker: rabbitmq,
      toxiproxy: toxiproxy.client,
      logDir,
    });
    const description: ContainerInfraDescription = {
      runDir: opts.runDir,
      logDir,
      postgres: { url: postgres.url(), port: postgres.port, pid: -1 },
      rabbitmq: { url: rabbitmq.url, port: rabbitmq.port, pid: -1, epmdPid: -1 },
      toxiproxy: { url: toxiproxy.url, port: toxiproxy.port, pid: -1 },
      services,
      proxies,
      provider: 'containers',
      runId,
      containers: { postgres: postgres.containerId, rabbitmq: rabbitmq.containerId, toxiproxy: toxiproxy.containerId },
      images,
    };
    return { description, postgres, rabbitmq, toxiproxy, stop };
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
