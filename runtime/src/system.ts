import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from './config/loadConfig.ts';
import { referenceConfigFile } from './config/configFile.ts';
import type { ResolvedConfig } from './config/validateConfig.ts';
import { startInfra, type Infra } from './infra.ts';
import { stateDir, type OwnedProcess } from './runState.ts';
import { newRunSecrets, serviceEnvironments, templateValues, type RunSecrets, type Wiring } from './serviceEnv.ts';
import { launchService, runBuildStep, type LaunchedService } from './services.ts';
import { startOrder, type ServiceLaunch } from './topology.ts';

export interface RunningSystem {
  infra: Infra;
  secrets: RunSecrets;
  services: LaunchedService[];
  processes: OwnedProcess[];
  summary: string[];
  /** The config it runs. */
  config: ResolvedConfig;
  /** The env a started service runs with (undefined: attached or not started). */
  envOf(name: string): Readonly<Record<string, string>> | undefined;
  /**
   * Stops a started service (if it runs) and starts it again with the env it was first started with
   * plus `override` (which replaces any earlier override; none: back to the original env).
   */
  relaunch(name: string, override?: Readonly<Record<string, string>>): Promise<void>;
  /** The override a service runs with now (empty when none). */
  overrideOf(name: string): Readonly<Record<string, string>>;
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
  /** The system to start (default: the reference system, the repository's own harness.config.ts). */
  config?: ResolvedConfig;
  /**
   * Runs after the infrastructure and proxies are up, before any service starts; what it returns
   * replaces, per HTTP link, the URL the caller uses for it (chaos puts a tap in front of Toxiproxy).
   */
  beforeServices?: (infra: Infra) => Promise<Readonly<Record<string, string>> | undefined>;
  /** Env added per service on top of the config's (e.g. the contract stage's provider switches). */
  extraEnv?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/**
 * Starts the infrastructure, the proxies of the config's topology and every service behind them,
 * each with its command, arguments and environment from the config (any language), in dependency
 * order, each after the previous one answers its readiness URL.
 */
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
  const config = opts.config ?? (await loadConfig(referenceConfigFile));
  const topology = config.topology;
  const secrets = newRunSecrets(config.secrets);
  const launches = new Map<
    string,
    {
      launch: ServiceLaunch;
      values: ReturnType<typeof templateValues>;
      env: Record<string, string>;
      override: Readonly<Record<string, string>>;
    }
  >();
  try {
    infra = await startInfra({
      runDir,
      topology,
      ...(opts.seed === undefined ? {} : { seed: opts.seed }),
      ...(opts.toxiproxyPort === undefined ? {} : { toxiproxyPort: opts.toxiproxyPort }),
    });
    log('infrastructure ready');
    if (!opts.infraOnly) {
      const linkUrls = (await opts.beforeServices?.(infra)) ?? {};
      const wiring = opts.wiring ?? 'proxied';
      const places = { runDir, configDir: config.dir, linkUrls };
      const envs = serviceEnvironments(topology, infra.description, secrets, wiring, places);
      for (const name of startOrder(topology)) {
        const launch = topology.services.find((service) => service.name === name)?.launch;
        const env = envs[name] && { ...envs[name], ...opts.extraEnv?.[name] };
        if (!launch || !env) continue; // attached: already runs
        if (launch.build) {
          log(`${name}: building`);
          runBuildStep(name, launch.build, infra.description.logDir);
        }
        const values = templateValues(topology, infra.description, secrets, name, wiring, places);
        launches.set(name, { launch, values, env, override: {} });
        services.push(await launchService({ name, env, launch, values, logDir: infra.description.logDir }));
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
      ...(d.rabbitmq
        ? [
            { name: 'rabbitmq', pid: d.rabbitmq.pid, match: 'rabbit' },
            { name: 'epmd', pid: d.rabbitmq.epmdPid, match: 'epmd' },
          ]
        : []),
      ...(d.kafka ? [{ name: 'kafka', pid: d.kafka.pid, match: 'kafka.Kafka' }] : []),
      { name: 'toxiproxy', pid: d.toxiproxy.pid, match: 'toxiproxy' },
      ...(d.jaeger ? [{ name: 'jaeger', pid: d.jaeger.pid, match: 'jaeger' }] : []),
    ].filter((proc) => proc.pid > 0),
    ...services.map((service) => ({
      name: service.name,
      pid: service.process.pid,
      match: processMatch(topology.services.find((spec) => spec.name === service.name)?.launch),
    })),
  ];
  const attached = topology.services.filter((service) => service.url);
  // The load target (the public API) and, when a link from another service enters it, its proxy.
  const target = config.load.target;
  const targetUrl = target === undefined ? undefined : d.services[target]?.url;
  const intoTarget = topology.links.find((link) => link.kind === 'http' && link.to === target);
  const targetProxy = d.proxies.find((proxy) => intoTarget !== undefined && proxy.link === intoTarget.id);
  const summary = [
    `system       ${config.name} (${path.relative(process.cwd(), config.file) || config.file})`,
    ...services.map((service) => `${service.name.padEnd(12)} ${service.url}`),
    ...attached.map((service) => `${service.name.padEnd(12)} ${service.url} (attached: not started by the harness)`),
    ...(services.length > 0 && targetUrl !== undefined
      ? [
          `load target  ${target} ${targetUrl}${targetProxy && intoTarget ? ` (through Toxiproxy for ${intoTarget.from}: ${targetProxy.listen})` : ''}`,
        ]
      : []),
    ...(services.length > 0 &&
    topology.services.some((spec) =>
      Object.values(spec.launch?.env ?? {}).some((value) => value.includes('{secret:demoApiKey}')),
    )
      ? [`api key      ${secrets.demoApiKey}   (Authorization: Bearer <key>)`]
      : []),
    `postgresql   ${d.postgres.url.replace(/:[^:@/]+@/, ':***@')}`,
    ...(d.rabbitmq ? [`rabbitmq     amqp://${new URL(d.rabbitmq.url).host}`] : []),
    ...(d.kafka
      ? [
          `kafka        ${d.kafka.internalBootstrap} (the harness's listener; each service has its own behind its proxy)`,
        ]
      : []),
    `toxiproxy    ${d.toxiproxy.url} (${d.proxies.length} proxies)`,
    ...(d.jaeger
      ? [`traces       ${d.jaeger.uiUrl} (Jaeger query API: /api/traces/<trace id>; OTLP at ${d.jaeger.otlpUrl})`]
      : []),
    ...(opts.wiring === 'direct' && services.length > 0
      ? ['wiring       direct: the services bypass Toxiproxy (no fault injection on this run)']
      : []),
    ...(d.containers
      ? [
          `containers   ${Object.entries(d.containers)
            .map(([name, id]) => `${name} ${id.slice(0, 12)}`)
            .join(', ')}`,
        ]
      : []),
    `logs         ${d.logDir}`,
  ];
  const logDir = d.logDir;
  const relaunch = async (name: string, override: Readonly<Record<string, string>> = {}): Promise<void> => {
    const entry = launches.get(name);
    if (!entry) throw new Error(`service ${name} was not started by the harness, so it cannot be restarted`);
    const index = services.findIndex((service) => service.name === name);
    if (index >= 0) await services[index]?.stop();
    const env = { ...entry.env, ...override };
    launches.set(name, { ...entry, override });
    const started = await launchService({ name, env, launch: entry.launch, values: entry.values, logDir });
    if (index >= 0) services[index] = started;
    else services.push(started);
  };
  return {
    infra,
    secrets,
    services,
    processes,
    summary,
    config,
    envOf: (name) => {
      const entry = launches.get(name);
      return entry && { ...entry.env, ...entry.override };
    },
    overrideOf: (name) => launches.get(name)?.override ?? {},
    relaunch,
    stop,
  };
}

/** A word a service's command line must contain before `down` may kill it (guards against pid reuse). */
function processMatch(launch: { command: string; args: readonly string[] } | undefined): string {
  if (!launch) return '';
  const telling = [...launch.args].reverse().find((arg) => !arg.startsWith('-') && !arg.includes('{'));
  return telling ?? path.basename(launch.command);
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
