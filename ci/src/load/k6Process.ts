import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { findTool, SETUP_HINT } from '@harness/runtime';
import { CliError } from '../output.ts';
import { durationSeconds } from './duration.ts';

/** k6's exit codes the wrapper tells apart (k6 errext). */
export const K6_EXIT = { ok: 0, thresholdsFailed: 99, scriptException: 107, scriptAborted: 108 } as const;

export function k6Binary(): string {
  const k6 = findTool('k6');
  if (!k6) throw new CliError(`k6 is not installed. ${SETUP_HINT}`);
  return k6;
}

/**
 * The longest a script can run, from k6's own plan (`k6 inspect --execution-requirements`:
 * scenarios + graceful stops) plus setup/teardown: the bound after which the wrapper stops k6.
 */
export function plannedSeconds(k6: string, script: string, env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(
      k6,
      ['inspect', '--include-system-env-vars', '--execution-requirements', script],
      { env: { ...process.env, ...env }, cwd: path.dirname(script), timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error)
          return reject(new CliError(`k6 cannot plan ${path.basename(script)}: ${(stderr || error.message).trim()}`));
        try {
          const plan = JSON.parse(stdout) as { totalDuration?: string };
          resolve(durationSeconds(plan.totalDuration ?? '0s'));
        } catch {
          reject(new CliError(`k6 inspect gave no plan for ${path.basename(script)}`));
        }
      },
    );
  });
}

export interface K6Run {
  script: string;
  env: Record<string, string>;
  /** Everything k6 prints goes here. */
  logFile: string;
  /** Hard bound: SIGINT after this (k6 then stops gracefully and still writes its summary), SIGKILL 30 s later. */
  timeoutMs: number;
  /** Also echo k6's output to this process's stdout/stderr. */
  echo?: boolean;
}

export interface K6Result {
  exitCode: number;
  timedOut: boolean;
  seconds: number;
}

export function runK6(k6: string, run: K6Run): Promise<K6Result> {
  fs.mkdirSync(path.dirname(run.logFile), { recursive: true });
  const log = fs.createWriteStream(run.logFile);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(k6, ['run', '--quiet', '--no-color', path.basename(run.script)], {
      cwd: path.dirname(run.script),
      env: { ...process.env, ...run.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const [stream, echo] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ] as const) {
      stream.on('data', (chunk: Buffer) => {
        log.write(chunk);
        if (run.echo) echo.write(chunk);
      });
    }
    let timedOut = false;
    let killer: NodeJS.Timeout | undefined;
    const stopper = setTimeout(() => {
      timedOut = true;
      child.kill('SIGINT');
      killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    }, run.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(stopper);
      log.end();
      reject(new CliError(`cannot run k6 (${k6}): ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(stopper);
      if (killer) clearTimeout(killer);
      log.end(() =>
        resolve({
          exitCode: code ?? (signal ? 128 : 1),
          timedOut,
          seconds: (performance.now() - started) / 1000,
        }),
      );
    });
  });
}

/** The env that makes k6 export its web dashboard as one self-contained HTML file. */
export function dashboardEnv(htmlFile: string): Record<string, string> {
  return {
    K6_WEB_DASHBOARD: 'true',
    // No HTTP port: nothing listens, and k6 never waits for a browser to disconnect.
    K6_WEB_DASHBOARD_PORT: '-1',
    // Short runs need short aggregation periods, or k6 skips the report for lack of data.
    K6_WEB_DASHBOARD_PERIOD: '1s',
    K6_WEB_DASHBOARD_EXPORT: htmlFile,
  };
}
