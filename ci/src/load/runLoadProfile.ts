import fs from 'node:fs';
import path from 'node:path';
import { dashboardEnv, K6_EXIT, k6Binary, plannedSeconds, runK6 } from './k6Process.ts';
import { readSummary, thresholdResults, type K6Summary, type ThresholdResult } from './k6Summary.ts';
import { junitXml, type JunitInput } from './junit.ts';
import { keepSlowTraces, slowestRequestsIn, type TimedRequest } from './slowestRequests.ts';
import { K6_DIR, type LoadProfile } from './profiles.ts';
import type { LoadTarget } from './target.ts';

export interface LoadRunOptions {
  profile: LoadProfile;
  target: LoadTarget;
  reportDir: string;
  duration?: string;
  rate?: number;
  p95Ms?: number;
  p99Ms?: number;
  /** Chaos profiles: shrink the fault timeline (0.25 → fault at 5 s, lifted at 10 s). */
  timeScale?: number;
  faultProxy?: string;
  faultLatencyMs?: number;
  recoveryBoundS?: number;
  productId?: string;
  echo?: boolean;
}

interface LoadReports {
  summary: string;
  html: string;
  junit: string;
  log: string;
  /** The slowest requests with their trace ids (and kept traces under traces/). */
  slowest: string;
}

export interface LoadRunResult {
  passed: boolean;
  k6ExitCode: number;
  summary?: K6Summary;
  thresholds: ThresholdResult[];
  reports: LoadReports;
  /** Why the run did not complete (k6 error, abort, timeout); undefined when it ran to the end. */
  runError?: string;
  /** Reports k6 was asked for but did not write. */
  missing: string[];
  seconds: number;
  /** k6's planned length of the run (scenarios and graceful stops). */
  plannedSeconds: number;
  /** What went into junit.xml, for a combined report of several runs. */
  junit: JunitInput;
  /** The slowest traced requests, slowest first (`trace` set when their trace was kept). */
  slowest: TimedRequest[];
}

function reportsIn(dir: string): LoadReports {
  return {
    summary: path.join(dir, 'summary.json'),
    html: path.join(dir, 'report.html'),
    junit: path.join(dir, 'junit.xml'),
    log: path.join(dir, 'k6.log'),
    slowest: path.join(dir, 'slowest.json'),
  };
}

function scriptEnv(options: LoadRunOptions, reports: LoadReports): Record<string, string> {
  const env: Record<string, string> = {
    ...options.profile.env,
    BASE_URL: options.target.baseUrl,
    API_KEY: options.target.apiKey,
    SUMMARY_JSON: reports.summary,
    // Every sample, for the slowest requests and their trace ids; read and removed after the run.
    K6_OUT: `json=${pointsFile(reports)}`,
    ...dashboardEnv(reports.html),
  };
  const optional: Record<string, string | number | undefined> = {
    DURATION: options.duration,
    RATE: options.rate,
    P95_MS: options.p95Ms,
    P99_MS: options.p99Ms,
    TIME_SCALE: options.timeScale,
    FAULT_PROXY: options.faultProxy,
    FAULT_LATENCY_MS: options.faultLatencyMs,
    RECOVERY_BOUND_S: options.recoveryBoundS,
    PRODUCT_ID: options.productId,
    TOXIPROXY_URL: options.target.toxiproxyUrl,
    GRPC_ADDRESS: options.target.grpc?.address,
    SERVICE_TOKEN: options.target.grpc?.serviceToken,
    GRAPHQL_URL: options.target.graphql?.url,
  };
  for (const [name, value] of Object.entries(optional)) if (value !== undefined) env[name] = String(value);
  return env;
}

const pointsFile = (reports: LoadReports): string => path.join(path.dirname(reports.summary), 'points.jsonl');

/** The slowest requests of the run (k6's JSON samples), with their traces when Jaeger has them. */
async function slowestRequests(options: LoadRunOptions, reports: LoadReports): Promise<TimedRequest[]> {
  const points = pointsFile(reports);
  const slowest = await slowestRequestsIn(points);
  fs.rmSync(points, { force: true });
  fs.rmSync(path.join(options.reportDir, 'traces'), { recursive: true, force: true });
  const kept = options.target.jaegerUrl
    ? await keepSlowTraces(slowest, options.target.jaegerUrl, options.reportDir)
    : slowest;
  fs.writeFileSync(reports.slowest, `${JSON.stringify(kept, null, 2)}\n`);
  return kept;
}

/** The last error k6 logged, for a one-line reason. */
function lastErrorOf(logFile: string): string | undefined {
  const lines = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n') : [];
  const errors = lines.filter((line) => /level=(error|fatal)/.test(line));
  const last = errors.at(-1);
  return last ? (/msg="((?:[^"\\]|\\.)*)"/.exec(last)?.[1] ?? last).replace(/\\"/g, '"') : undefined;
}

function runErrorOf(exitCode: number, timedOut: boolean, planned: number, logFile: string): string | undefined {
  if (timedOut) return `k6 did not finish within its bound (${planned} s planned); it was stopped`;
  if (exitCode === K6_EXIT.ok || exitCode === K6_EXIT.thresholdsFailed) return undefined;
  const reason = lastErrorOf(logFile) ?? 'see the log';
  if (exitCode === K6_EXIT.scriptAborted) return `the run was aborted: ${reason}`;
  return `k6 exited with code ${exitCode}: ${reason}`;
}

/** Removes the chaos toxic in case k6 died before its teardown; a missing toxic is fine. */
async function liftLeftoverFault(options: LoadRunOptions): Promise<void> {
  if (!options.profile.chaos || !options.target.toxiproxyUrl) return;
  const proxy = options.faultProxy ?? 'l5-order-payment';
  await fetch(`${options.target.toxiproxyUrl}/proxies/${proxy}/toxics/harness-load-latency`, {
    method: 'DELETE',
    signal: AbortSignal.timeout(5_000),
  }).catch(() => undefined);
}

/** Runs one profile with the real k6 binary and writes summary JSON, HTML dashboard and JUnit XML. */
export async function runLoadProfile(options: LoadRunOptions): Promise<LoadRunResult> {
  const k6 = k6Binary();
  const reports = reportsIn(options.reportDir);
  fs.mkdirSync(options.reportDir, { recursive: true });
  for (const file of Object.values(reports)) fs.rmSync(file, { force: true });
  const script = path.join(K6_DIR, options.profile.script);
  const env = scriptEnv(options, reports);
  const planned = await plannedSeconds(k6, script, env);
  // Setup and teardown (30 s each at most) and k6's own start-up on top of the scenarios.
  const timeoutMs = (planned + 90) * 1000;
  const run = await runK6(k6, { script, env, logFile: reports.log, timeoutMs, echo: options.echo ?? false });
  await liftLeftoverFault(options);
  const slowest = await slowestRequests(options, reports);
  const summary = readSummary(reports.summary);
  const thresholds = summary ? thresholdResults(summary) : [];
  let runError = runErrorOf(run.exitCode, run.timedOut, planned, reports.log);
  if (!summary && runError === undefined) runError = 'k6 wrote no end-of-test summary';
  const junit: JunitInput = {
    suite: `k6 ${options.profile.name}`,
    thresholds,
    seconds: run.seconds,
    ...(runError === undefined ? {} : { runError }),
  };
  fs.writeFileSync(reports.junit, junitXml(junit));
  const missing = [reports.summary, reports.html].filter((file) => !fs.existsSync(file));
  const passed = run.exitCode === K6_EXIT.ok && runError === undefined && thresholds.every((t) => t.ok);
  return {
    passed,
    k6ExitCode: run.exitCode,
    ...(summary ? { summary } : {}),
    thresholds,
    reports,
    ...(runError === undefined ? {} : { runError }),
    missing,
    seconds: run.seconds,
    plannedSeconds: planned,
    junit,
    slowest,
  };
}
