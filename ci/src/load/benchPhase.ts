import fs from 'node:fs';
import path from 'node:path';
import { K6_EXIT, plannedSeconds, runK6 } from './k6Process.ts';
import { ordersByOutcome, readSummary, value } from './k6Summary.ts';
import { K6_DIR } from './profiles.ts';

/** One bounded burst of orders against one endpoint, as the bench measures it. */
export interface BenchPhase {
  name: string;
  ordersUrl: string;
  auth: { apiKey: string } | { serviceToken: string };
  /** Open model at a fixed arrival rate, or closed model at a fixed concurrency (a ceiling). */
  load: { rate: number } | { vus: number };
  duration: string;
  productId?: string;
}

export interface PhaseFigures {
  name: string;
  target: string;
  load: string;
  seconds: number;
  requests: number;
  confirmed: number;
  confirmedPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number };
  /** Answers other than 201 (and transport errors). */
  errors: number;
  outcomes: Record<string, number>;
}

/** Called right before k6 starts generating load (after `k6 inspect` has planned the run). */
export type BeforeLoad = () => void;

export async function runBenchPhase(
  k6: string,
  phase: BenchPhase,
  workDir: string,
  beforeLoad: BeforeLoad = () => undefined,
): Promise<PhaseFigures> {
  const script = path.join(K6_DIR, 'bench.k6.ts');
  const summaryFile = path.join(workDir, `${phase.name}.summary.json`);
  fs.rmSync(summaryFile, { force: true });
  const env: Record<string, string> = {
    ORDERS_URL: phase.ordersUrl,
    DURATION: phase.duration,
    SUMMARY_JSON: summaryFile,
    ...('apiKey' in phase.auth ? { API_KEY: phase.auth.apiKey } : { SERVICE_TOKEN: phase.auth.serviceToken }),
    ...('rate' in phase.load
      ? { MODE: 'rate', RATE: String(phase.load.rate) }
      : { MODE: 'vus', VUS: String(phase.load.vus) }),
    ...(phase.productId === undefined ? {} : { PRODUCT_ID: phase.productId }),
  };
  const planned = await plannedSeconds(k6, script, env);
  beforeLoad();
  const run = await runK6(k6, {
    script,
    env,
    logFile: path.join(workDir, `${phase.name}.k6.log`),
    timeoutMs: (planned + 60) * 1000,
  });
  const summary = readSummary(summaryFile);
  if (!summary || (run.exitCode !== K6_EXIT.ok && run.exitCode !== K6_EXIT.thresholdsFailed))
    throw new Error(
      `bench phase ${phase.name}: k6 exited ${run.exitCode}${run.timedOut ? ' (timed out)' : ''}; see ${workDir}`,
    );
  const seconds = (summary.state?.testRunDurationMs ?? run.seconds * 1000) / 1000;
  const outcomes = ordersByOutcome(summary);
  const requests = value(summary, 'http_reqs', 'count') ?? 0;
  const confirmed = outcomes.confirmed ?? 0;
  const latency = (stat: string): number => value(summary, 'http_req_duration', stat) ?? 0;
  return {
    name: phase.name,
    target: phase.ordersUrl,
    load: 'rate' in phase.load ? `${phase.load.rate}/s arrival rate` : `${phase.load.vus} concurrent`,
    seconds,
    requests,
    confirmed,
    confirmedPerSecond: confirmed / Math.max(seconds, 0.001),
    latencyMs: { p50: latency('med'), p95: latency('p(95)'), p99: latency('p(99)') },
    errors: requests - confirmed,
    outcomes,
  };
}
