import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { findTool } from '@harness/runtime';

const run = promisify(execFile);

/** Stops and starts the RabbitMQ application of the run's broker node. */
export interface BrokerControl {
  stopApp(): Promise<void>;
  startApp(): Promise<void>;
  /** True between stopApp and startApp. */
  readonly stopped: boolean;
}

/**
 * A broker restart that keeps the node, its data dir and its ports: `rabbitmqctl stop_app` closes
 * every client connection and the AMQP listener, `start_app` brings the same node back with its
 * durable queues and persistent messages. The node's env (name, cookie home, epmd port) is read
 * from the broker process itself, so this works for a system the runner started and for one it
 * attached to (same machine, same user).
 */
export function brokerControl(brokerPid: number, container?: string): BrokerControl {
  let stopped = false;
  const ctl = async (command: 'stop_app' | 'start_app'): Promise<void> => {
    if (container !== undefined) {
      // The containers provider: the same node, data and ports, through the container's own CLI.
      await run('docker', ['exec', container, 'rabbitmqctl', command], { timeout: 60_000 });
      return;
    }
    const tool = rabbitmqctl();
    const env = brokerEnv(brokerPid);
    const node = env.RABBITMQ_NODENAME;
    if (!node) throw new Error(`cannot tell the broker's node name from /proc/${brokerPid}/environ`);
    await run(tool, ['-n', node, command], { env: { ...process.env, ...env }, timeout: 60_000 });
  };
  return {
    get stopped() {
      return stopped;
    },
    async stopApp() {
      stopped = true;
      try {
        await ctl('stop_app');
      } catch (error) {
        stopped = false;
        throw error;
      }
    },
    async startApp() {
      await ctl('start_app');
      stopped = false;
    },
  };
}

/**
 * The rabbitmqctl next to the rabbitmq-server the runtime runs (Debian's /usr/sbin wrapper would
 * switch to the system's rabbitmq user and home, whose Erlang cookie is not the node's).
 */
function rabbitmqctl(): string {
  const server = findTool('rabbitmq-server');
  const beside = server === undefined ? undefined : path.join(path.dirname(server), 'rabbitmqctl');
  if (beside !== undefined && fs.existsSync(beside)) return beside;
  const found = findTool('rabbitmqctl');
  if (!found) throw new Error('rabbitmqctl not found (it ships with rabbitmq-server)');
  return found;
}

function brokerEnv(pid: number): Record<string, string> {
  const raw = fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
  const env: Record<string, string> = {};
  for (const entry of raw.split('\0')) {
    const at = entry.indexOf('=');
    const name = entry.slice(0, at);
    if (at > 0 && (name.startsWith('RABBITMQ_') || name.startsWith('ERL_') || name === 'HOME')) {
      env[name] = entry.slice(at + 1);
    }
  }
  return env;
}

/** A Kafka outage that keeps the node's data and ports: the JVM stopped, then started again on them. */
export function kafkaBrokerControl(kafka: { stopNode(): Promise<void>; startNode(): Promise<void> }): BrokerControl {
  let stopped = false;
  return {
    get stopped() {
      return stopped;
    },
    async stopApp() {
      stopped = true;
      await kafka.stopNode();
    },
    async startApp() {
      await kafka.startNode();
      stopped = false;
    },
  };
}

/** Stopping a broker the runner cannot control: a clear error when a scenario asks for it. */
export function unsupportedBrokerControl(reason: string): BrokerControl {
  const refuse = async (): Promise<never> => {
    throw new Error(reason);
  };
  return { stopped: false, stopApp: refuse, startApp: refuse };
}

/** The run's RabbitMQ URL; on a Kafka run, an error naming what needs RabbitMQ. */
export function rabbitMqUrlOf(infra: { rabbitmq?: { url: string } }, what: string): string {
  if (!infra.rabbitmq) throw new Error(`${what} runs on RabbitMQ only so far; this run's broker is Kafka`);
  return infra.rabbitmq.url;
}

/** Where the runner's own messages go: the run's RabbitMQ, or its Kafka through the harness's listener. */
export function messageTargetOf(infra: {
  rabbitmq?: { url: string };
  kafka?: { internalBootstrap: string };
}): { amqpUrl: string } | { kafkaBootstrap: string } {
  if (infra.rabbitmq) return { amqpUrl: infra.rabbitmq.url };
  if (infra.kafka) return { kafkaBootstrap: infra.kafka.internalBootstrap };
  throw new Error('this run has no broker');
}
