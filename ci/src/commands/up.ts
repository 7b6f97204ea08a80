import os from 'node:os';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  clearRunState,
  isAlive,
  providerFromEnv,
  tracesFromEnv,
  readRunState,
  reapStaleRun,
  sleep,
  startSystem,
  type RunningSystem,
  stateDir,
  tailOf,
  writeRunState,
  type ResolvedConfig,
  type RunState,
  type Wiring,
} from '@harness/runtime';
import { commandConfig } from '../commandConfig.ts';
import type { Command } from '../command.ts';
import { CliError, green, parseOptions } from '../output.ts';
import { checkTools } from '../toolchain.ts';

const usage = [
  'harness up [--config FILE] [--foreground] [--infra-only] [--direct] [--seed N] [--toxiproxy-port PORT] [--timeout SECONDS]',
  '',
  '--config  the system to start (default: HARNESS_CONFIG, else the nearest harness.config.ts)',
  '--direct  services reach each other, PostgreSQL and RabbitMQ without Toxiproxy (to measure what',
  '          the proxies cost); `harness chaos` refuses such a run.',
].join('\n');
/** The CLI's entry, to start the supervisor with (the packed CLI names its own in HARNESS_CLI_ENTRY). */
const BIN =
  process.env.HARNESS_CLI_ENTRY ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/harness.ts');

export const up: Command = {
  summary: 'start PostgreSQL, RabbitMQ, Toxiproxy (one proxy per link) and the services; print the addresses',
  usage,
  async run(args) {
    const { values } = parseOptions(
      args,
      {
        foreground: { type: 'boolean' },
        'infra-only': { type: 'boolean' },
        direct: { type: 'boolean' },
        seed: { type: 'string' },
        'toxiproxy-port': { type: 'string' },
        timeout: { type: 'string', default: '180' },
      },
      usage,
    );
    const seed = values.seed === undefined ? undefined : Number(values.seed);
    if (seed !== undefined && !Number.isInteger(seed))
      throw new CliError(`--seed must be an integer, got "${values.seed}"`, 2);
    const toxiproxyPort = values['toxiproxy-port'] === undefined ? undefined : Number(values['toxiproxy-port']);
    if (
      toxiproxyPort !== undefined &&
      !(Number.isInteger(toxiproxyPort) && toxiproxyPort > 0 && toxiproxyPort < 65536)
    ) {
      throw new CliError(`--toxiproxy-port must be a port number, got "${values['toxiproxy-port']}"`, 2);
    }
    const timeoutSeconds = Number(values.timeout);
    if (!(timeoutSeconds > 0)) throw new CliError(`--timeout must be a positive number of seconds`, 2);
    const wiring: Wiring = values.direct ? 'direct' : 'proxied';
    const options = {
      infraOnly: values['infra-only'] === true,
      wiring,
      ...(seed === undefined ? {} : { seed }),
      ...(toxiproxyPort === undefined ? {} : { toxiproxyPort }),
    };
    if (!values.foreground) return (await startRun({ ...options, timeoutSeconds })) ? 0 : 1;
    const config = await claimRunFor();
    return supervise({ ...options, config });
  },
};

/** How to start a run: what `harness up`'s flags say. */
export interface StartOptions {
  /** PostgreSQL, RabbitMQ and Toxiproxy only, no services (default false). */
  infraOnly?: boolean;
  /** proxied (default): every link through Toxiproxy; direct: none (`harness chaos` refuses it). */
  wiring?: Wiring;
  seed?: number;
  toxiproxyPort?: number;
  /** How long to wait for the run to be ready (default 180 s). */
  timeoutSeconds?: number;
}

/**
 * `harness up` for the other commands: starts the system of this invocation's config under a
 * supervisor in the background and waits until it is ready. True when it is; false (the reason
 * and the supervisor log's tail printed) when it failed or was not ready in time.
 */
export async function startRun(options: StartOptions = {}): Promise<boolean> {
  await claimRunFor();
  const supervisorArgs = [
    ...(options.infraOnly ? ['--infra-only'] : []),
    ...(options.wiring === 'direct' ? ['--direct'] : []),
    ...(options.seed === undefined ? [] : ['--seed', String(options.seed)]),
    ...(options.toxiproxyPort === undefined ? [] : ['--toxiproxy-port', String(options.toxiproxyPort)]),
  ];
  return startInBackground(supervisorArgs, (options.timeoutSeconds ?? 180) * 1000);
}

/** Reads the config (its error reported before anything starts), checks the tools, claims the run. */
async function claimRunFor(): Promise<ResolvedConfig> {
  const config = await commandConfig();
  await refuseWhenToolsMissing(config);
  claimRun();
  return config;
}

async function refuseWhenToolsMissing(config: ResolvedConfig): Promise<void> {
  // Kafka runs in Java (its jars are checked when it starts); RabbitMQ needs its server and epmd.
  const broker = config.broker.kind === 'kafka' ? ['java'] : ['rabbitmq-server', 'epmd'];
  const needed = new Set(['initdb', 'postgres', ...broker, 'toxiproxy-server']);
  if (providerFromEnv() === 'local' && tracesFromEnv()) needed.add('jaeger');
  const missing = (await checkTools()).filter((check) => needed.has(check.name) && check.problem);
  if (missing.length > 0) {
    const lines = missing.map((check) => `  ${check.name}: ${check.problem}; install: ${check.install}`);
    throw new CliError(`cannot start, tools missing:\n${lines.join('\n')}`);
  }
}

/** Refuses a second run; cleans up after a run whose supervisor was killed. */
function claimRun(): void {
  const existing = readRunState();
  if (!existing) return;
  if (isAlive(existing.supervisorPid)) {
    throw new CliError(
      `a run is already active (supervisor pid ${existing.supervisorPid}); use \`harness status\` or \`harness down\``,
    );
  }
  console.log(`found a stale run from a killed harness (supervisor pid ${existing.supervisorPid}); cleaning up:`);
  for (const line of reapStaleRun(existing)) console.log(`  ${line}`);
}

async function startInBackground(args: string[], timeoutMs: number): Promise<boolean> {
  fs.mkdirSync(stateDir(), { recursive: true });
  const logFile = path.join(stateDir(), 'supervisor.log');
  const out = fs.openSync(logFile, 'w');
  const child = spawn(process.execPath, [BIN, 'up', '--foreground', ...args], {
    detached: true,
    stdio: ['ignore', out, out],
    env: process.env,
  });
  fs.closeSync(out);
  child.unref();
  const supervisorPid = child.pid ?? -1;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const state = readRunState();
    if (state?.supervisorPid === supervisorPid && state.status === 'ready') {
      printReady(state);
      return true;
    }
    if (state?.status === 'failed' || !isAlive(supervisorPid)) {
      await sleep(200);
      console.error(`harness up failed${state?.error ? `: ${withKeptLogs(state.error)}` : ''}`);
      console.error(`--- ${logFile} (tail) ---\n${await tailOf(logFile, 30)}`);
      return false;
    }
    await sleep(200);
  }
  console.error(`harness up: not ready after ${timeoutMs / 1000} s; stopping it`);
  try {
    process.kill(supervisorPid, 'SIGTERM');
  } catch {
    // already gone
  }
  return false;
}

/** Records a service that exits while the run is up, with the tail of its log, for `status`. */
function watchForCrashes(system: RunningSystem, stopping: () => boolean): void {
  for (const service of system.services) {
    service.process.child.once('exit', () => {
      if (stopping()) return;
      void service.process.logTail(15).then((logTail) => {
        const state = readRunState();
        if (!state || state.supervisorPid !== process.pid) return;
        const reason = service.process.exitReason() ?? 'exited';
        console.error(`service ${service.name} crashed: ${reason}\n${logTail}`);
        writeRunState({
          ...state,
          crashed: [...(state.crashed ?? []), { name: service.name, at: new Date().toISOString(), reason, logTail }],
        });
      });
    });
  }
}

function printReady(state: RunState): void {
  console.log(green(`harness is up (supervisor pid ${state.supervisorPid})`));
  for (const line of state.summary ?? []) console.log(`  ${line}`);
  console.log('stop it with: npx harness down');
}

/** The supervisor: owns every process of the run and tears all of it down on SIGINT/SIGTERM. */
async function supervise(options: {
  config: ResolvedConfig;
  seed?: number;
  toxiproxyPort?: number;
  infraOnly: boolean;
  wiring: Wiring;
}): Promise<number> {
  const base: RunState = {
    id: new Date().toISOString(),
    runDir: '',
    supervisorPid: process.pid,
    startedAt: new Date().toISOString(),
    status: 'starting',
    processes: [],
    config: options.config.file,
    system: options.config.name,
  };
  writeRunState(base);
  let stopping = false;
  let system: Awaited<ReturnType<typeof startSystem>> | undefined;
  const stopped = new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      console.log(`received ${signal}; stopping`);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('SIGHUP', onSignal);
  });
  try {
    system = await startSystem({ ...options, log: (line) => console.log(line) });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    writeRunState({ ...base, status: 'failed', error: message });
    console.error(message);
    return 1;
  }
  const ready: RunState = {
    ...base,
    runDir: system.infra.description.runDir,
    status: 'ready',
    infra: system.infra.description,
    wiring: options.wiring,
    processes: system.processes,
    summary: system.summary,
    secrets: system.secrets,
  };
  writeRunState(ready);
  printReady(ready);
  watchForCrashes(system, () => stopping);
  // Nothing else may keep the event loop alive (containers have no child process here).
  const keepAlive = setInterval(() => undefined, 1 << 30);
  if (!stopping) await stopped;
  clearInterval(keepAlive);
  writeRunState({ ...ready, status: 'stopping' });
  await system.stop();
  clearRunState();
  console.log('stopped');
  return 0;
}

/**
 * A failed start removes its temp run dir after copying the logs to .harness/logs/last: point the
 * error's log paths there.
 */
export function withKeptLogs(error: string): string {
  const runLogs = new RegExp(`${escapeRegExp(path.join(os.tmpdir(), 'harness-run-'))}[^/\\s]+/logs`, 'g');
  return error.replace(runLogs, path.join(stateDir(), 'logs', 'last'));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
