import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addressOf, referenceConfig, sleep, type RunState } from '@harness/runtime';
import type { BenchFigures } from './baseline.ts';
import { runBenchPhase, type BeforeLoad, type BenchPhase, type PhaseFigures } from './benchPhase.ts';
import { judgeStep, runCapacitySteps, type CapacityAtSlo, type StepFigures } from './capacity.ts';
import { durationSeconds } from './duration.ts';
import { k6Binary } from './k6Process.ts';
import { measurePostgresCeiling, type PostgresCeiling } from './pgbench.ts';
import { startCpuSampling, type CpuBreakdown } from './processCpu.ts';
import { runMemory, sampleMemory, systemRssKb, type RunMemory } from './processMemory.ts';
import { captureServiceProfiles, writeServiceProfiles, type CpuProfiles } from './cpuProfiles.ts';
import { roundTripsBetween, snapshotRoundTrips, type RoundTrips, type SnapshotSource } from './roundTrips.ts';
import { assertLoopback } from './target.ts';

export interface BenchOptions {
  rate: number;
  duration: string;
  vus: number;
  ceilingDuration: string;
  /** Gateway load at `vus` before the first measurement on each system, discarded ('0s': none). */
  warmup: string;
  /** Offered rates of the capacity phase (orders/s, rising) and how long each runs. */
  steps: number[];
  stepDuration: string;
  pgbenchSeconds: number;
  /** How long the profiled phase runs ('0s': no CPU profiles). */
  cpuProfileDuration: string;
  /** How long after pgbench the memory at rest is read again (default 15s: pg pools close idle connections after 10 s). */
  restAfterLoad?: string;
  /** Where the profiles and flame graphs of this run go (a folder per run is made inside). */
  profilesDir: string;
  productId?: string;
  workDir: string;
  log: (line: string) => void;
}

export interface BenchReport {
  at: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number };
  options: Omit<BenchOptions, 'log' | 'workDir' | 'profilesDir'>;
  main: PhaseFigures;
  ceilings: { gateway: PhaseFigures; proxied: PhaseFigures; order: PhaseFigures };
  /** The fixed-rate steps, up to the first that missed the SLO, and the highest that met it. */
  capacity: { steps: StepFigures[]; atSlo: CapacityAtSlo | null };
  /** Where the CPU went during the main phase (per component, per confirmed order). */
  cpu: CpuBreakdown;
  /** SQL statements, HTTP calls, events published and consumed per confirmed order in the main phase. */
  roundTrips?: RoundTrips;
  /** V8 CPU profiles of every service during a phase of its own at the capacity rate. */
  cpuProfiles?: CpuProfiles;
  /** Toxiproxy's cost: the whole system proxied vs direct (with --start), and the L1 hop alone. */
  proxyOverhead: ProxyOverhead;
  postgres: PostgresCeiling;
  /** At rest before any load, the peak during the main phase, and at rest again 15 s after pgbench. */
  memory: { atRest: RunMemory; peak: RunMemory; afterLoad: RunMemory };
  figures: BenchFigures;
}

interface ProxyOverhead {
  /** Gateway through the L1 proxy ÷ gateway direct, on the same (proxied) system: one hop only. */
  l1Ratio: number;
  /** The gateway's ceiling on a system started with `--direct` (no Toxiproxy anywhere), when measured. */
  directSystem?: PhaseFigures;
  /** Ceiling of the proxied system ÷ ceiling of the direct system (1 = no overhead), when measured. */
  wholeSystemRatio?: number;
}

const mb = (kb: number): number => Math.round(kb / 1024);

/** After the last load, before memory counts as "at rest" again (idle pool connections closed). */
const REST_AFTER_LOAD_MS = 15_000;

/** The wait before the memory at rest is read again: `--rest-after-load`, default 15 s. */
function restAfterLoadMs(options: Pick<BenchOptions, 'restAfterLoad'>): number {
  return options.restAfterLoad === undefined ? REST_AFTER_LOAD_MS : durationSeconds(options.restAfterLoad) * 1000;
}

/** A pause before pgbench, so the orders still settling do not share PostgreSQL with it. */
const SETTLE_MS = 3_000;
/** A pause between capacity steps and before the main phase. */
const STEP_SETTLE_MS = 1_000;
/** What k6 may add to a phase: startup, planning, and the 5 s graceful stop of bench.k6.ts. */
const PHASE_OVERHEAD_S = 7;

/** An upper bound of the bench's duration in seconds (system start/stop excluded). */
export function plannedBenchSeconds(
  options: Pick<
    BenchOptions,
    | 'duration'
    | 'ceilingDuration'
    | 'warmup'
    | 'steps'
    | 'stepDuration'
    | 'pgbenchSeconds'
    | 'cpuProfileDuration'
    | 'restAfterLoad'
  >,
  wholeSystemAb: boolean,
): number {
  const warmupSeconds = durationSeconds(options.warmup);
  const warmup = warmupSeconds > 0 ? warmupSeconds + PHASE_OVERHEAD_S : 0;
  const ceiling = durationSeconds(options.ceilingDuration) + PHASE_OVERHEAD_S;
  const step = durationSeconds(options.stepDuration) + PHASE_OVERHEAD_S + STEP_SETTLE_MS / 1000;
  const main = durationSeconds(options.duration) + PHASE_OVERHEAD_S;
  // pgbench: initialisation at scale 1 and the scratch database's creation take a few seconds.
  const pgbench = options.pgbenchSeconds + 8 + (SETTLE_MS + restAfterLoadMs(options)) / 1000;
  const profileSeconds = durationSeconds(options.cpuProfileDuration);
  const profiled = profileSeconds > 0 ? profileSeconds + PHASE_OVERHEAD_S + SETTLE_MS / 1000 : 0;
  const systems = wholeSystemAb ? 2 : 1;
  return Math.ceil(
    warmup * systems + ceiling * (2 + systems) + step * options.steps.length + main + profiled + pgbench,
  );
}

function endpoints(state: RunState): { gateway: string; proxied: string; order: string; pg: string } {
  const infra = state.infra;
  if (!infra) throw new Error('the run has no infrastructure description');
  // The public API is the config's load target; its proxied address is the link into it.
  const config = referenceConfig();
  const target = config.load.target;
  if (target === undefined) throw new Error(`${config.file}: load.target is not set`);
  const into = config.topology.links.find((link) => link.kind === 'http' && link.to === target);
  const proxy = infra.proxies.find((candidate) => into !== undefined && candidate.link === into.id);
  if (!proxy) throw new Error(`the run has no proxy on a link into ${target}`);
  return {
    gateway: assertLoopback(addressOf(infra, target).url, `the ${target} URL`),
    proxied: assertLoopback(`http://${proxy.listen}`, `the ${proxy.name} proxy`),
    // The order-direct phase is this benchmark's own: the reference's order service, behind the API.
    // eslint-disable-next-line no-restricted-syntax -- the reference's bespoke benchmark (README, Performance)
    order: assertLoopback(addressOf(infra, 'order').url, 'the order URL'),
    pg: infra.postgres.url,
  };
}

/**
 * A phase of its own for the CPU profiles (the profiler's cost stays out of the other figures): at
 * the capacity rate, where the system keeps up, so the profiles show an order's normal path.
 */
async function profiledPhase(
  state: RunState,
  options: BenchOptions,
  capacityRate: number | undefined,
  fixedRate: (name: string, rate: number, duration: string, beforeLoad?: BeforeLoad) => Promise<PhaseFigures>,
): Promise<CpuProfiles | undefined> {
  const seconds = durationSeconds(options.cpuProfileDuration);
  if (seconds <= 0) return undefined;
  const rate = capacityRate ?? options.steps[0] ?? options.rate;
  options.log(`cpu profiles: every service at ${rate}/s for ${options.cpuProfileDuration}`);
  await sleep(SETTLE_MS);
  let capture: ReturnType<typeof captureServiceProfiles> | undefined;
  let sampling: ReturnType<typeof startCpuSampling> | undefined;
  const figures = await fixedRate('profiled', rate, options.cpuProfileDuration, () => {
    sampling = startCpuSampling(state.processes);
    capture = captureServiceProfiles(state.infra?.services ?? {}, secretsOf(state).serviceToken, seconds * 1000);
  });
  const cpu = sampling?.stop(figures.confirmed);
  const dir = path.join(options.profilesDir, new Date().toISOString().replace(/[:.]/g, '-'));
  const written = writeServiceProfiles(dir, (await capture) ?? []);
  return {
    dir,
    seconds,
    rate,
    confirmed: figures.confirmed,
    ...written,
    ...(cpu && figures.confirmed > 0
      ? { cpuMsPerOrder: Object.fromEntries(cpu.components.map((c) => [c.name, c.msPerOrder])) }
      : {}),
  };
}

/** Every service of the run (their `/metrics`) and the run's PostgreSQL. */
function roundTripSource(state: RunState): SnapshotSource {
  const infra = state.infra;
  return { services: infra?.services ?? {}, ...(infra?.postgres ? { postgresUrl: infra.postgres.url } : {}) };
}

function viaGateway(base: string, apiKey: string): Pick<BenchPhase, 'ordersUrl' | 'auth'> {
  return { ordersUrl: `${base}/api/v1/orders`, auth: { apiKey } };
}

function secretsOf(state: RunState): NonNullable<RunState['secrets']> {
  if (!state.secrets) throw new Error('the run has no secrets (started with --infra-only?)');
  return state.secrets;
}

type CeilingOptions = Pick<BenchOptions, 'vus' | 'ceilingDuration' | 'warmup' | 'productId' | 'workDir'>;

/** The closed-model ceiling of the gateway (direct to its port), as the A/B measures it on each system. */
export async function measureGatewayCeiling(
  state: RunState,
  options: CeilingOptions,
  name: string,
): Promise<PhaseFigures> {
  return gatewayAtConcurrency(state, options, name, options.ceilingDuration);
}

/**
 * Load the figures leave out: a freshly started system is cold (JIT, connection pools, caches),
 * and whichever phase came first would pay for it. Each system of the A/B gets the same.
 */
export async function warmUp(state: RunState, options: CeilingOptions): Promise<void> {
  if (durationSeconds(options.warmup) > 0) await gatewayAtConcurrency(state, options, 'warmup', options.warmup);
}

function gatewayAtConcurrency(
  state: RunState,
  options: CeilingOptions,
  name: string,
  duration: string,
): Promise<PhaseFigures> {
  return runBenchPhase(
    k6Binary(),
    {
      name,
      ...viaGateway(endpoints(state).gateway, secretsOf(state).demoApiKey),
      load: { vus: options.vus },
      duration,
      ...(options.productId === undefined ? {} : { productId: options.productId }),
    },
    options.workDir,
  );
}

/** Adds the direct system's ceiling to a report of the proxied system: the whole-system A/B. */
export function withDirectSystem(report: BenchReport, direct: PhaseFigures): BenchReport {
  const ratio =
    direct.confirmedPerSecond > 0 ? report.ceilings.gateway.confirmedPerSecond / direct.confirmedPerSecond : 0;
  return {
    ...report,
    proxyOverhead: { ...report.proxyOverhead, directSystem: direct, wholeSystemRatio: ratio },
    figures: {
      ...report.figures,
      directSystemCeiling: direct.confirmedPerSecond,
      ratios: { ...report.figures.ratios, proxiedVsDirect: ratio },
    },
  };
}

/**
 * The benchmark: closed-model ceilings of the gateway direct, the gateway through its Toxiproxy
 * proxy and the order service direct; fixed-rate steps through the gateway up to the first that
 * misses the SLO (the capacity at SLO); a fixed-rate run through the gateway (the headline
 * figures, with the run's memory and CPU sampled throughout); then pgbench on the same
 * PostgreSQL, so every ratio compares figures of the same machine in the same minutes.
 */
export async function runBench(state: RunState, options: BenchOptions): Promise<BenchReport> {
  const k6 = k6Binary();
  const urls = endpoints(state);
  const secrets = secretsOf(state);
  fs.mkdirSync(options.workDir, { recursive: true });
  const product = options.productId === undefined ? {} : { productId: options.productId };
  const gatewayApi = viaGateway(urls.gateway, secrets.demoApiKey);
  const fixedRate = (name: string, rate: number, duration: string, beforeLoad?: BeforeLoad): Promise<PhaseFigures> =>
    runBenchPhase(k6, { name, ...gatewayApi, load: { rate }, duration, ...product }, options.workDir, beforeLoad);

  const atRest = runMemory(state.processes);
  options.log(
    `memory at rest: ${mb(systemRssKb(atRest))} MiB RSS for the system, ${mb(atRest.rssKb)} MiB over all ${atRest.processCount} processes`,
  );
  const ceiling = async (name: string, phase: Pick<BenchPhase, 'ordersUrl' | 'auth'>): Promise<PhaseFigures> => {
    options.log(`ceiling: ${name}, ${options.vus} concurrent for ${options.ceilingDuration}`);
    return runBenchPhase(
      k6,
      { name, ...phase, load: { vus: options.vus }, duration: options.ceilingDuration, ...product },
      options.workDir,
    );
  };
  if (durationSeconds(options.warmup) > 0) options.log(`warm-up: ${options.vus} concurrent for ${options.warmup}`);
  await warmUp(state, options);
  const gateway = await ceiling('gateway-direct', gatewayApi);
  const proxied = await ceiling('gateway-via-toxiproxy', viaGateway(urls.proxied, secrets.demoApiKey));
  const order = await ceiling('order-direct', {
    ordersUrl: `${urls.order}/orders`,
    auth: { serviceToken: secrets.serviceToken },
  });

  options.log(`capacity: steps ${options.steps.join(', ')}/s, ${options.stepDuration} each, up to the first miss`);
  const stepSeconds = durationSeconds(options.stepDuration);
  const capacity = await runCapacitySteps(
    options.steps,
    async (rate) => {
      await sleep(STEP_SETTLE_MS);
      let sampling: ReturnType<typeof startCpuSampling> | undefined;
      const figures = await fixedRate(`step-${rate}`, rate, options.stepDuration, () => {
        sampling = startCpuSampling(state.processes);
      });
      const cpu = sampling?.stop(figures.confirmed);
      return judgeStep(
        rate,
        stepSeconds,
        figures,
        cpu && { msPerOrder: cpu.system.msPerOrder, ceilingPerSecond: cpu.ceilingPerSecond },
      );
    },
    options.log,
  );
  await sleep(STEP_SETTLE_MS);

  // The main fixed-rate run last but one: if it overloads the system, its backlog cannot skew the other phases.
  options.log(`main: ${options.rate}/s for ${options.duration} through the gateway`);
  const counted = roundTripSource(state);
  const tripsBefore = await snapshotRoundTrips(counted);
  const memorySampler = sampleMemory(state.processes);
  let cpuSampling: ReturnType<typeof startCpuSampling> | undefined;
  let main: PhaseFigures;
  let peak: RunMemory;
  try {
    main = await fixedRate('main', options.rate, options.duration, () => {
      cpuSampling = startCpuSampling(state.processes);
    });
  } finally {
    peak = memorySampler.stop();
  }
  const cpu = (cpuSampling ?? startCpuSampling(state.processes)).stop(main.confirmed);
  const roundTrips = roundTripsBetween(tripsBefore, await snapshotRoundTrips(counted), main.confirmed);
  const cpuProfiles = await profiledPhase(state, options, capacity.capacity?.rate, fixedRate);
  await sleep(SETTLE_MS);
  options.log(`postgres: pgbench for ${options.pgbenchSeconds} s on a scratch database`);
  const postgres = await measurePostgresCeiling(urls.pg, { seconds: options.pgbenchSeconds });
  // At rest again: long enough for the services' pools to close idle connections (pg: 10 s).
  const restMs = restAfterLoadMs(options);
  options.log(`memory: at rest again in ${restMs / 1000} s`);
  await sleep(restMs);
  const afterLoad = runMemory(state.processes);

  const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);
  const l1Ratio = ratio(proxied.confirmedPerSecond, gateway.confirmedPerSecond);
  const figures: BenchFigures = {
    confirmedPerSecond: main.confirmedPerSecond,
    p50Ms: main.latencyMs.p50,
    p95Ms: main.latencyMs.p95,
    p99Ms: main.latencyMs.p99,
    errors: main.errors,
    rssAtRestMb: mb(atRest.rssKb),
    rssPeakMb: mb(peak.rssKb),
    systemRssAtRestMb: mb(systemRssKb(atRest)),
    systemRssAfterLoadMb: mb(systemRssKb(afterLoad)),
    capacityAtSlo: capacity.capacity?.confirmedPerSecond ?? 0,
    cpuMsPerOrder: cpu.system.msPerOrder,
    cpuCeiling: cpu.ceilingPerSecond,
    gatewayCeiling: gateway.confirmedPerSecond,
    proxiedCeiling: proxied.confirmedPerSecond,
    orderCeiling: order.confirmedPerSecond,
    postgresTps: postgres.tps,
    ratios: {
      l1ProxiedVsDirect: l1Ratio,
      gatewayVsOrder: ratio(gateway.confirmedPerSecond, order.confirmedPerSecond),
      ordersVsPostgres: ratio(gateway.confirmedPerSecond, postgres.tps),
    },
  };
  const { log: _log, workDir: _workDir, profilesDir: _profilesDir, ...kept } = options;
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
    capacity: { steps: capacity.steps, atSlo: capacity.capacity ?? null },
    cpu,
    roundTrips,
    ...(cpuProfiles === undefined ? {} : { cpuProfiles }),
    proxyOverhead: { l1Ratio },
    postgres,
    memory: { atRest, peak, afterLoad },
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
