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
  const home = leanHome(server, path.join(opts.dir, 'home'));
  if (home) env.RABBITMQ_SCRIPTS_DIR = home.scriptsDir;
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

/**
 * A RabbitMQ home whose plugins dir holds only the applications the broker boots (rabbit and what
 * it depends on, 20 of the 71 Debian ships), the scripts and escripts linked from the real home.
 * The scripts put every application of the home's plugins dir on the Erlang code path, and at boot
 * RabbitMQ loads every module of every loaded application to find its boot steps, each load searching
 * the whole path: with the full plugins dir (93 path entries) that scan took 3 of the 8 s a start
 * took here and the start before it 3 more; with this one the whole start takes 4 s.
 * Undefined (the real home is used) when the installed layout is not the one expected.
 */
export function leanHome(server: string, dir: string): { scriptsDir: string; plugins: string[] } | undefined {
  let realHome: string;
  try {
    realHome = path.dirname(path.dirname(fs.realpathSync(server)));
  } catch {
    return undefined;
  }
  const realScripts = path.join(realHome, 'sbin');
  const realPlugins = path.join(realHome, 'plugins');
  if (!fs.existsSync(realScripts) || !fs.existsSync(realPlugins)) return undefined;
  const apps = new Map<string, { dir: string; needs: string[] }>();
  for (const entry of fs.readdirSync(realPlugins)) {
    const name = entry.replace(/-\d[^-]*$/, '');
    const appFile = path.join(realPlugins, entry, 'ebin', `${name}.app`);
    if (!fs.existsSync(appFile)) continue;
    apps.set(name, { dir: path.join(realPlugins, entry), needs: appDependencies(fs.readFileSync(appFile, 'utf8')) });
  }
  if (!apps.has('rabbit')) return undefined;
  const wanted = new Set<string>();
  const pending = ['rabbit'];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    const app = apps.get(name);
    // Applications that are not here are Erlang/OTP's own, on the code path anyway.
    if (!app || wanted.has(name)) continue;
    wanted.add(name);
    pending.push(...app.needs);
  }
  const scriptsDir = path.join(dir, 'sbin');
  const pluginsDir = path.join(dir, 'plugins');
  fs.mkdirSync(scriptsDir, { recursive: true });
  fs.mkdirSync(pluginsDir, { recursive: true });
  // A real sbin dir (not a link): the scripts take the home as the parent of the dir they run from.
  for (const script of fs.readdirSync(realScripts))
    fs.symlinkSync(path.join(realScripts, script), path.join(scriptsDir, script));
  if (fs.existsSync(path.join(realHome, 'escript')))
    fs.symlinkSync(path.join(realHome, 'escript'), path.join(dir, 'escript'));
  const plugins = [...wanted].sort();
  for (const name of plugins) {
    const app = apps.get(name);
    if (app) fs.symlinkSync(app.dir, path.join(pluginsDir, path.basename(app.dir)));
  }
  return { scriptsDir, plugins };
}

/** The `applications` and `included_applications` of an Erlang .app file. */
export function appDependencies(appFile: string): string[] {
  const names: string[] = [];
  for (const key of ['applications', 'included_applications']) {
    const list = new RegExp(`\\{\\s*${key}\\s*,\\s*\\[([^\\]]*)\\]`).exec(appFile)?.[1];
    if (list)
      names.push(
        ...list
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean),
      );
  }
  return names;
}
