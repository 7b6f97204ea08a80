import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sleep, type RunState } from '@harness/runtime';
import type { BenchFigures } from './baseline.ts';
import { runBenchPhase, type BenchPhase, type PhaseFigures } from './benchPhase.ts';
import { k6Binary } from './k6Process.ts';
import { measurePostgresCeiling, type PostgresCeiling } from './pgbench.ts';
import { runMemory, sampleMemory, type RunMemory } from './processMemory.ts';
import { assertLoopback } from './target.ts';

export interface BenchOptions {
  rate: number;
  duration: string;
  vus: number;
  ceilingDuration: string;
  pgbenchSeconds: number;
  productId?: string;
  workDir: string;
  log: (line: string) => void;
}

export interface BenchReport {
  at: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number };
  options: Omit<BenchOptions, 'log' | 'workDir'>;
  main: PhaseFigures;
  ceilings: { gateway: PhaseFigures; proxied: PhaseFigures; order: PhaseFigures };
  postgres: PostgresCeiling;
  memory: { atRest: RunMemory; peak: RunMemory };
  figures: BenchFigures;
}

const mb = (kb: number): number => Math.round(kb / 1024);

/** A pause before pgbench, so the orders still settling do not share PostgreSQL with it. */
const SETTLE_MS = 3_000;

function endpoints(state: RunState): { gateway: string; proxied: string; order: string; pg: string } {
  const infra = state.infra;
  if (!infra) throw new Error('the run has no infrastructure description');
  const l1 = infra.proxies.find((proxy) => proxy.link === 'L1');
  if (!l1) throw new Error('the run has no L1 (storefront → gateway) proxy');
  return {
    gateway: assertLoopback(infra.services.gateway.url, 'the gateway URL'),
    proxied: assertLoopback(`http://${l1.listen}`, 'the L1 proxy'),
    order: assertLoopback(infra.services.order.url, 'the order URL'),
    pg: infra.postgres.url,
  };
}

/**
 * The benchmark: closed-model ceilings of the gateway direct, the gateway through its Toxiproxy
 * proxy and the order service direct, then a fixed-rate run through the gateway (the headline
 * figures, with the run's memory sampled throughout), then pgbench on the same PostgreSQL, so
 * every ratio compares figures of the same machine in the same minute.
 */
export async function runBench(state: RunState, options: BenchOptions): Promise<BenchReport> {
  const k6 = k6Binary();
  const urls = endpoints(state);
  const secrets = state.secrets;
  if (!secrets) throw new Error('the run has no secrets (started with --infra-only?)');
  fs.mkdirSync(options.workDir, { recursive: true });
  const product = options.productId === undefined ? {} : { productId: options.productId };
  const viaGateway = (base: string): Pick<BenchPhase, 'ordersUrl' | 'auth'> => ({
    ordersUrl: `${base}/api/v1/orders`,
    auth: { apiKey: secrets.demoApiKey },
  });

  const atRest = runMemory(state.processes);
  options.log(`memory at rest: ${mb(atRest.rssKb)} MiB RSS over ${atRest.processCount} processes`);
  const ceiling = async (name: string, phase: Pick<BenchPhase, 'ordersUrl' | 'auth'>): Promise<PhaseFigures> => {
    options.log(`ceiling: ${name}, ${options.vus} concurrent for ${options.ceilingDuration}`);
    return runBenchPhase(
      k6,
      { name, ...phase, load: { vus: options.vus }, duration: options.ceilingDuration, ...product },
      options.workDir,
    );
  };
  const gateway = await ceiling('gateway-direct', viaGateway(urls.gateway));
  const proxied = await ceiling('gateway-via-toxiproxy', viaGateway(urls.proxied));
  const order = await ceiling('order-direct', {
    ordersUrl: `${urls.order}/orders`,
    auth: { serviceToken: secrets.serviceToken },
  });
  // The fixed-rate run last but one: if it overloads the system, its backlog cannot skew the ceilings.
  options.log(`main: ${options.rate}/s for ${options.duration} through the gateway`);
  const sampler = sampleMemory(state.processes);
  let main: PhaseFigures;
  let peak: RunMemory;
  try {
    main = await runBenchPhase(
      k6,
      {
        name: 'main',
        ...viaGateway(urls.gateway),
        load: { rate: options.rate },
        duration: options.duration,
        ...product,
      },
      options.workDir,
    );
  } finally {
    peak = sampler.stop();
  }
  await sleep(SETTLE_MS);
  options.log(`postgres: pgbench for ${options.pgbenchSeconds} s on a scratch database`);
  const postgres = await measurePostgresCeiling(urls.pg, { seconds: options.pgbenchSeconds });

  const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);
  const figures: BenchFigures = {
    confirmedPerSecond: main.confirmedPerSecond,
    p50Ms: main.latencyMs.p50,
    p95Ms: main.latencyMs.p95,
    p99Ms: main.latencyMs.p99,
    errors: main.errors,
    rssAtRestMb: mb(atRest.rssKb),
    rssPeakMb: mb(peak.rssKb),
    gatewayCeiling: gateway.confirmedPerSecond,
    proxiedCeiling: proxied.confirmedPerSecond,
    orderCeiling: order.confirmedPerSecond,
    postgresTps: postgres.tps,
    ratios: {
      proxiedVsDirect: ratio(proxied.confirmedPerSecond, gateway.confirmedPerSecond),
      gatewayVsOrder: ratio(gateway.confirmedPerSecond, order.confirmedPerSecond),
      ordersVsPostgres: ratio(gateway.confirmedPerSecond, postgres.tps),
    },
  };
  const { log: _log, workDir: _workDir, ...kept } = options;
  return {
    at: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
    },
    options: kept,
    main,
    ceilings: { gateway, proxied, order },
    postgres,
    memory: { atRest, peak },
    figures,
  };
}

export function writeBenchReport(report: BenchReport, dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `bench-${report.at.replace(/[:.]/g, '-')}.json`);
  const text = `${JSON.stringify(report, null, 2)}\n`;
  fs.writeFileSync(file, text);
  fs.writeFileSync(path.join(dir, 'latest.json'), text);
  return file;
}
