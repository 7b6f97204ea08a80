import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  launchService,
  newRunSecrets,
  referenceTopology,
  serviceEnvironments,
  startInfra,
  stateDir,
  type Infra,
  type LaunchedService,
  type OwnedProcess,
  type RunSecrets,
  type ServiceName,
  type Wiring,
} from '@harness/runtime';

/** Start order: dependencies before the services that call them. */
export const START_ORDER: ServiceName[] = ['inventory', 'payment', 'notification', 'order', 'gateway', 'storefront'];

export interface RunningSystem {
  infra: Infra;
  secrets: RunSecrets;
  services: LaunchedService[];
  processes: OwnedProcess[];
  summary: string[];
  stop(): Promise<void>;
}

export interface SystemOptions {
  seed?: number;
  toxiproxyPort?: number;
  /** Start only PostgreSQL, RabbitMQ and Toxiproxy with its proxies. */
  infraOnly?: boolean;
  /** 'direct': services reach each other, PostgreSQL and RabbitMQ without Toxiproxy (default 'proxied'). */
  wiring?: Wiring;
  log?: (line: string) => void;
}

/** Starts the infrastructure, the proxies of the reference topology and every service behind them. */
export async function startSystem(opts: SystemOptions = {}): Promise<RunningSystem> {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-run-'));
  const log = opts.log ?? (() => undefined);
  log(`run dir ${runDir}`);
  let infra: Infra | undefined;
  const services: LaunchedService[] = [];
  const stop = async (): Promise<void> => {
    for (const service of [...services].reverse()) await service.stop();
    await infra?.stop();
    keepLogs(runDir);
    fs.rmSync(runDir, { recursive: true, force: true });
  };
  const secrets = newRunSecrets();
  try {
    infra = await startInfra({
      runDir,
      topology: referenceTopology,
      ...(opts.seed === undefined ? {} : { seed: opts.seed }),
      ...(opts.toxiproxyPort === undefined ? {} : { toxiproxyPort: opts.toxiproxyPort }),
    });
    log('infrastructure ready');
    if (!opts.infraOnly) {
      const envs = serviceEnvironments(referenceTopology, infra.description, secrets, opts.wiring ?? 'proxied');
      for (const name of START_ORDER) {
        services.push(await launchService({ name, env: envs[name], logDir: infra.description.logDir }));
        log(`${name} ready`);
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const d = infra.description;
  const processes: OwnedProcess[] = [
    // Containers (HARNESS_PROVIDER=containers) have no pid here; their ids are in the summary.
    ...[
      { name: 'postgresql', pid: d.postgres.pid, match: 'postgres' },
      { name: 'rabbitmq', pid: d.rabbitmq.pid, match: 'rabbit' },
      { name: 'epmd', pid: d.rabbitmq.epmdPid, match: 'epmd' },
      { name: 'toxiproxy', pid: d.toxiproxy.pid, match: 'toxiproxy' },
    ].filter((proc) => proc.pid > 0),
    ...services.map((service) => ({
      name: service.name,
      pid: service.process.pid,
      match: `services/${service.name}/`,
    })),
  ];
  const summary = [
    ...services.map((service) => `${service.name.padEnd(12)} ${service.url}`),
    ...(services.length > 0
      ? [
          `api          ${d.services.gateway.url}/api/v1 (through Toxiproxy for the storefront: ${d.proxies.find((p) => p.link === 'L1')?.listen ?? '?'})`,
          `api key      ${secrets.demoApiKey}   (Authorization: Bearer <key>)`,
        ]
      : []),
    `postgresql   ${d.postgres.url.replace(/:[^:@/]+@/, ':***@')}`,
    `rabbitmq     amqp://${new URL(d.rabbitmq.url).host}`,
    `toxiproxy    ${d.toxiproxy.url} (${d.proxies.length} proxies)`,
    ...(opts.wiring === 'direct' && services.length > 0
      ? ['wiring       direct: the services bypass Toxiproxy (no fault injection on this run)']
      : []),
    ...(d.containers
      ? [
          `containers   postgres ${d.containers.postgres.slice(0, 12)}, rabbitmq ${d.containers.rabbitmq.slice(0, 12)}, toxiproxy ${d.containers.toxiproxy.slice(0, 12)}`,
        ]
      : []),
    `logs         ${d.logDir}`,
  ];
  return { infra, secrets, services, processes, summary, stop };
}

/** Keeps the logs of the last run under .harness/logs/last after its temp dir is removed. */
function keepLogs(runDir: string): void {
  const from = path.join(runDir, 'logs');
  if (!fs.existsSync(from)) return;
  const to = path.join(stateDir(), 'logs', 'last');
  fs.rmSync(to, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.cpSync(from, to, { recursive: true });
}
