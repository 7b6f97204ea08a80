import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import amqp from 'amqplib';
import { ManagedProcess } from '../process.ts';
import { assertPortFree, freePort, isListening, LOOPBACK } from '../ports.ts';
import { requireTool } from '../tools.ts';
import { waitUntil } from '../wait.ts';

export interface RabbitMqServer {
  host: string;
  port: number;
  user: string;
  password: string;
  /** amqp:// URL with credentials, vhost `/`. */
  url: string;
  process: ManagedProcess;
  epmd: ManagedProcess;
  stop(): Promise<void>;
}

export interface RabbitMqOptions {
  dir: string;
  logDir: string;
  port?: number;
  readyTimeoutMs?: number;
}

/**
 * A RabbitMQ node of its own: its own node name, AMQP port, distribution port, epmd (on a port of
 * its own, started and stopped here so no epmd outlives the run), data and log dirs.
 */
export async function startRabbitMq(opts: RabbitMqOptions): Promise<RabbitMqServer> {
  const server = requireTool('rabbitmq-server');
  const epmdBin = requireTool('epmd');
  const port = opts.port ?? (await freePort());
  if (opts.port !== undefined) await assertPortFree(port, 'RabbitMQ');
  const [distPort, epmdPort] = [await freePort(), await freePort()];
  const user = 'harness';
  const password = randomBytes(12).toString('hex');
  const dirs = { mnesia: path.join(opts.dir, 'mnesia'), log: path.join(opts.logDir, 'rabbitmq') };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  const pluginsFile = path.join(opts.dir, 'enabled_plugins');
  fs.writeFileSync(pluginsFile, '[].\n');
  const configFile = path.join(opts.dir, 'rabbitmq.conf');
  fs.writeFileSync(
    configFile,
    [
      `listeners.tcp.default = ${LOOPBACK}:${port}`,
      `default_user = ${user}`,
      `default_pass = ${password}`,
      'loopback_users = none',
      'vm_memory_high_watermark.relative = 0.2',
      'disk_free_limit.absolute = 50MB',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(path.join(opts.dir, '.erlang.cookie'), randomBytes(16).toString('hex'), { mode: 0o400 });
  const nodeName = `harness-${port}@localhost`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: opts.dir,
    ERL_EPMD_PORT: String(epmdPort),
    ERL_EPMD_ADDRESS: LOOPBACK,
    RABBITMQ_NODENAME: nodeName,
    RABBITMQ_NODE_IP_ADDRESS: LOOPBACK,
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_MNESIA_BASE: dirs.mnesia,
    RABBITMQ_LOG_BASE: dirs.log,
    RABBITMQ_ENABLED_PLUGINS_FILE: pluginsFile,
    RABBITMQ_CONFIG_FILE: configFile,
    RABBITMQ_PID_FILE: path.join(opts.dir, 'rabbitmq.pid'),
  };
  const epmd = new ManagedProcess({
    name: 'epmd',
    command: epmdBin,
    args: ['-port', String(epmdPort), '-address', LOOPBACK],
    logFile: path.join(opts.logDir, 'epmd.log'),
    env,
  });
  await waitUntil('epmd', () => isListening(epmdPort), { timeoutMs: 10_000, failed: () => epmd.exitReason() });
  const proc = new ManagedProcess({
    name: 'rabbitmq',
    command: server,
    args: [],
    logFile: path.join(opts.logDir, 'rabbitmq.log'),
    env,
    cwd: opts.dir,
  });
  const url = `amqp://${user}:${password}@${LOOPBACK}:${port}`;
  const stop = async (): Promise<void> => {
    await proc.stop(5_000);
    await epmd.stop(1_000);
  };
  try {
    await waitUntil('RabbitMQ', () => canConnect(url), {
      timeoutMs: opts.readyTimeoutMs ?? 60_000,
      intervalMs: 250,
      failed: () => proc.exitReason(),
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { host: LOOPBACK, port, user, password, url, process: proc, epmd, stop };
}

async function canConnect(url: string): Promise<boolean> {
  if (!(await isListening(Number(new URL(url).port)))) return false;
  const connection = await amqp.connect(url, { timeout: 2_000 });
  await connection.close();
  return true;
}
