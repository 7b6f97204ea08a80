import { randomBytes } from 'node:crypto';
import amqp from 'amqplib';
import { RabbitMQContainer } from '@testcontainers/rabbitmq';
import type { RabbitMqServer } from '../local/rabbitmq.ts';
import { LOOPBACK } from '../ports.ts';
import { waitUntil } from '../wait.ts';
import { logToFile } from './containerLogs.ts';
import { publishOnLoopback } from './loopback.ts';

const AMQP_PORT = 5672;

/** RabbitMQ as the rest of the harness sees it, whoever runs it. */
type RabbitMqEndpoint = Omit<RabbitMqServer, 'process' | 'epmd'>;

export interface RabbitMqContainerServer extends RabbitMqEndpoint {
  containerId: string;
}

export interface RabbitMqContainerOptions {
  image: string;
  labels: Record<string, string>;
  logDir: string;
  startupTimeoutMs?: number;
}

class LoopbackRabbitMQContainer extends RabbitMQContainer {
  protected override async beforeContainerCreated(): Promise<void> {
    publishOnLoopback(this.hostConfig);
  }
}

/**
 * A RabbitMQ container (official rabbitmq image contract) with a user and password of its own,
 * published on a loopback port, ready when an AMQP connection through that port opens.
 */
export async function startRabbitMqContainer(opts: RabbitMqContainerOptions): Promise<RabbitMqContainerServer> {
  const user = 'harness';
  const password = randomBytes(12).toString('hex');
  const started = await new LoopbackRabbitMQContainer(opts.image)
    .withEnvironment({ RABBITMQ_DEFAULT_USER: user, RABBITMQ_DEFAULT_PASS: password })
    .withLabels(opts.labels)
    .withLogConsumer(logToFile(opts.logDir, 'rabbitmq'))
    .withStartupTimeout(opts.startupTimeoutMs ?? 120_000)
    .start();
  const port = started.getMappedPort(AMQP_PORT);
  const url = `amqp://${user}:${password}@${LOOPBACK}:${port}`;
  const stop = async (): Promise<void> => {
    await started.stop({ remove: true, removeVolumes: true, timeout: 2_000 });
  };
  try {
    await waitUntil('RabbitMQ container', () => canConnect(url), { timeoutMs: 30_000, intervalMs: 250 });
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    host: LOOPBACK,
    port,
    user,
    password,
    url,
    containerId: started.getId(),
    stop,
  };
}

async function canConnect(url: string): Promise<boolean> {
  const connection = await amqp.connect(url, { timeout: 2_000 });
  await connection.close();
  return true;
}
