import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fillTemplate, type TemplateValues } from './config/envTemplate.ts';
import { ManagedProcess } from './process.ts';
import { REPO_ROOT } from './runState.ts';
import { referenceTopology } from './referenceTopology.ts';
import type { ResolvedCommand, ServiceLaunch, ServiceName } from './topology.ts';
import { waitUntil } from './wait.ts';

export interface LaunchedService {
  name: ServiceName;
  url: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

export interface LaunchOptions {
  name: ServiceName;
  /** The service's environment (see serviceEnvironments); PORT must be set, HOST defaults to loopback. */
  env: Record<string, string>;
  logDir: string;
  /** How to start it (from its config entry); default: the reference system's entry of that name. */
  launch?: ServiceLaunch;
  /** Placeholder values for `command`, `args` and `ready` (default: just port, host and url). */
  values?: TemplateValues;
  readyTimeoutMs?: number;
  /** Path checked for readiness (default: the launch's `ready`, else /health/ready). */
  readyPath?: string;
}

/** Entry point of a reference service: services/<name>/src/main.ts, run by Node 24 directly. */
export const serviceEntry = (name: ServiceName): string => path.join(REPO_ROOT, 'services', name, 'src', 'main.ts');

/** The reference system's launch of a service (its entry in the repository's harness.config.ts). */
export function referenceLaunch(name: ServiceName): ServiceLaunch {
  const launch = referenceTopology().services.find((service) => service.name === name)?.launch;
  if (!launch) throw new Error(`the reference system has no service "${name}" to start`);
  return launch;
}

/**
 * Starts one service as a child process (any program: the config says how) and waits until its
 * readiness URL answers 2xx. A service that exits while starting fails with the tail of its log.
 */
export async function launchService(opts: LaunchOptions): Promise<LaunchedService> {
  const host = opts.env.HOST ?? '127.0.0.1';
  const url = `http://${host}:${opts.env.PORT}`;
  const launch = opts.launch ?? referenceLaunch(opts.name);
  const values: TemplateValues = opts.values ?? {
    plain: { port: opts.env.PORT, host, url },
    url: {},
    serviceUrl: {},
    secret: {},
  };
  const fill = (text: string): string => fillTemplate(text, values);
  const ready = fill(opts.readyPath ?? launch.ready);
  const readyUrl = /^https?:\/\//.test(ready) ? ready : `${url}${ready.startsWith('/') ? '' : '/'}${ready}`;
  const proc = new ManagedProcess({
    name: opts.name,
    command: fill(launch.command),
    args: launch.args.map(fill),
    logFile: path.join(opts.logDir, `${opts.name}.log`),
    env: { ...process.env, ...opts.env },
    cwd: launch.cwd,
  });
  try {
    await waitUntil(
      `service ${opts.name}`,
      async () => (await fetch(readyUrl, { signal: AbortSignal.timeout(1_000) })).ok,
      {
        timeoutMs: opts.readyTimeoutMs ?? launch.readyTimeoutMs,
        intervalMs: 150,
        failed: () => proc.exitReason(),
      },
    );
  } catch (error) {
    const tail = await proc.logTail(25);
    await proc.stop(1_000);
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\n--- ${opts.name} log (tail) ---\n${tail}`,
      { cause: error },
    );
  }
  return { name: opts.name, url, process: proc, stop: () => proc.stop(10_000) };
}

/** Runs a service's build step once, before its first start; a failure names the service and the output's tail. */
export function runBuildStep(name: ServiceName, build: ResolvedCommand, logDir: string): void {
  const result = spawnSync(build.command, build.args, {
    cwd: build.cwd,
    env: { ...process.env, ...build.env },
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  fs.writeFileSync(path.join(logDir, `${name}.build.log`), output);
  if (result.error || result.status !== 0) {
    const reason = result.error ? result.error.message : `exited with ${result.status}`;
    const tail = output.split('\n').slice(-20).join('\n');
    throw new Error(`build of service ${name} failed (${build.command} ${build.args.join(' ')}): ${reason}\n${tail}`);
  }
}
