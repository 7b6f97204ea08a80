import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { REPO_ROOT } from '@harness/runtime';
import { summarize, type ChaosJournal } from '../report/ChaosJournal.ts';
import { htmlReport } from '../report/htmlReport.ts';
import { junitReport } from '../report/junitReport.ts';
import { keepTraces } from '../report/keepTraces.ts';
import { applyProfile, InvalidScenarioError, loadScenarios, selectScenarios } from '../scenario/loadScenarios.ts';
import type { Scenario } from '../scenario/Scenario.ts';
import { validateScenario } from '../scenario/validateScenario.ts';
import { attachToRun } from '../system/attachToRun.ts';
import { loadKitDomain } from '../system/kitSystem.ts';
import type { ChaosSystem } from '../system/ChaosSystem.ts';
import type { ServiceEnvOverrides } from '../system/chaosTunedEnv.ts';
import { startOwnedSystem } from '../system/startOwnedSystem.ts';
import { serviceDatabases, type Profile, type RunContext } from './RunContext.ts';
import { runScenario } from './runScenario.ts';
import { heldOutput, sideBySide } from './sideBySide.ts';
import { emptyRun, type ScenarioRun } from './ScenarioRun.ts';

/** A scenario the runner could not carry out (a service that would not restart, a database gone). */
function crashedRun(scenario: Scenario, repeat: number, error: unknown): ScenarioRun {
  return {
    ...emptyRun(scenario, repeat, Date.now()),
    status: 'failed',
    failures: [`the runner could not carry it out: ${error instanceof Error ? error.message : String(error)}`],
  };
}

export interface SuiteOptions {
  scenarios: readonly string[];
  /** Scenarios to run instead of those the config's chaos.scenarios name (tests, broken variants). */
  definitions?: readonly Scenario[];
  profile: Profile;
  repeat: number;
  seed: number | undefined;
  attach: boolean;
  /** Env on top of the chaos-tuned base for the whole run (e.g. a deliberately broken variant). */
  serviceEnv?: ServiceEnvOverrides;
  /** Default: reports/chaos under the repository. */
  reportsDir?: string;
  /**
   * Systems run side by side (default 1), each started on ports of its own; the scenarios are
   * dealt to whichever system is free next. Each scenario's output is printed as one block when it
   * ends. Not with `attach` (there is one running system).
   */
  parallel?: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export interface SuiteResult {
  journal: ChaosJournal;
  reportDir: string;
  /** 0 when every scenario run passed (or was skipped), 1 otherwise. */
  exitCode: number;
}

/** A started (or attached) system and the context its scenarios share: run one scenario at a time, then close. */
export interface KitSession {
  readonly system: ChaosSystem;
  /** Runs one scenario (a crash of the runner itself becomes a failed run). */
  run(scenario: Scenario, repeat?: number): Promise<ScenarioRun>;
  /** Stops what the session started. */
  close(): Promise<void>;
}

export interface KitSessionOptions {
  attach: boolean;
  seed?: number;
  serviceEnv?: ServiceEnvOverrides;
  profile: Profile;
  keepLogsIn: string;
  signal?: AbortSignal;
  log: (line: string) => void;
}

/** Starts (or attaches to) the kit system once, for `runSuite` and `harness explore`. */
export async function openKitSession(options: KitSessionOptions): Promise<KitSession> {
  const started = Date.now();
  const log = options.log;
  await loadKitDomain();
  const system = options.attach
    ? await attachToRun()
    : await startOwnedSystem({
        ...(options.seed === undefined ? {} : { seed: options.seed }),
        ...(options.serviceEnv === undefined ? {} : { serviceEnv: options.serviceEnv }),
        keepLogsIn: options.keepLogsIn,
        log: (line) => log(`  ${line}`),
      });
  log(`system ${system.mode === 'owned' ? 'started' : 'attached'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const dbs = serviceDatabases(system.infra.postgres.url);
  const context: RunContext = {
    system,
    profile: options.profile,
    seed: options.seed,
    runTag: randomBytes(4).toString('hex'),
    poisons: [],
    db: dbs.db,
    signal: options.signal ?? new AbortController().signal,
    log: (line) => log(line),
  };
  return {
    system,
    run: (scenario, repeat = 1) =>
      runScenario(scenario, repeat, context).catch((error: unknown) => crashedRun(scenario, repeat, error)),
    async close() {
      await dbs.close();
      await system.close();
    },
  };
}

/**
 * A whole chaos run: loads and selects the scenarios, starts (or attaches to) the system, runs
 * each scenario `repeat` times, always stops what it started, and writes the journal, JUnit XML,
 * HTML page and the traces of failed and slow requests (traces/<trace id>.json, when the system
 * has Jaeger) under reports/chaos/<run id>/ (JUnit also at reports/junit/chaos.xml).
 */
export async function runSuite(options: SuiteOptions): Promise<SuiteResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  await loadKitDomain();
  const signal = options.signal ?? new AbortController().signal;
  const started = Date.now();
  const runId = new Date(started).toISOString().replace(/[:.]/g, '-');
  const reportsRoot = options.reportsDir ?? path.join(REPO_ROOT, 'reports');
  const reportDir = path.join(reportsRoot, 'chaos', runId);
  const available = options.definitions ?? (await loadScenarios());
  const selected = selectScenarios(available, options.scenarios, options.profile).map((s) =>
    applyProfile(s, options.profile),
  );
  for (const scenario of options.definitions ?? []) {
    const problems = validateScenario(scenario);
    if (problems.length > 0)
      throw new InvalidScenarioError(`invalid scenario ${scenario.id}:\n  ${problems.join('\n  ')}`);
  }
  log(
    `chaos: ${selected.length} scenario(s) × ${options.repeat}, profile ${options.profile}${options.seed === undefined ? '' : `, seed ${options.seed}`}`,
  );
  const parallel = options.parallel ?? 1;
  if (!(Number.isInteger(parallel) && parallel >= 1))
    throw new InvalidScenarioError(`parallel must be a whole number of systems (1 or more), got ${parallel}`);
  if (parallel > 1 && options.attach)
    throw new InvalidScenarioError('parallel systems need owned systems: --attach uses the one running system');
  // Every (scenario, repeat) in order; a free system takes the next one.
  const queue = Array.from({ length: options.repeat }, (_, r) =>
    selected.map((scenario) => ({ scenario, repeat: r + 1 })),
  )
    .flat()
    .map((item, index) => ({ ...item, index }));
  const workers = Math.min(parallel, Math.max(1, queue.length));
  const runs: Array<{ index: number; run: ScenarioRun }> = [];
  let startupMs: number | undefined;
  let proxyMetrics = false;
  // While a scenario runs on a system side by side, its lines are held, then printed together.
  const output = heldOutput(log, workers);
  await sideBySide({
    systems: workers,
    items: queue,
    stopped: () => signal.aborted,
    start: async (number) => {
      const session = await openKitSession({
        attach: options.attach,
        ...(options.seed === undefined ? {} : { seed: options.seed }),
        ...(options.serviceEnv === undefined ? {} : { serviceEnv: options.serviceEnv }),
        profile: options.profile,
        keepLogsIn: path.join(reportDir, 'logs', ...(workers > 1 ? [`system-${number}`] : [])),
        signal,
        log: output.of(number),
      });
      startupMs = Math.max(startupMs ?? 0, Date.now() - started);
      proxyMetrics = session.system.proxyMetrics;
      return session;
    },
    run: (session, item, number) =>
      output.holding(number, async () => {
        const { scenario, repeat } = item;
        const out = output.of(number);
        out(
          `▶ ${scenario.id}${options.repeat > 1 ? ` #${repeat}` : ''}: ${scenario.title}${workers > 1 ? ` (system ${number})` : ''}`,
        );
        const run = await session.run(scenario, repeat);
        // The traces of its failed and slowest requests, read before an owned Jaeger stops.
        const jaeger = session.system.infra.jaeger;
        if (jaeger) run.keptTraces = await keepTraces(run.responses, jaeger.uiUrl, path.join(reportDir, 'traces'));
        runs.push({ index: item.index, run });
        out(
          `  ${run.status.toUpperCase()} in ${(run.durationMs / 1000).toFixed(1)} s${run.failures.length > 0 ? `\n    ${run.failures.join('\n    ')}` : ''}`,
        );
      }),
    close: (session) => session.close(),
  });
  runs.sort((a, b) => a.index - b.index);
  const journal: ChaosJournal = {
    runId,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    options: {
      scenarios: selected.map((s) => s.id),
      profile: options.profile,
      repeat: options.repeat,
      seed: options.seed,
      attach: options.attach,
      ...(workers > 1 ? { parallel: workers } : {}),
    },
    system: {
      mode: options.attach ? 'attached' : 'owned',
      proxyMetrics,
      startupMs: startupMs ?? 0,
    },
    summary: summarize(runs.map((one) => one.run)),
    runs: runs.map((one) => one.run),
  };
  fs.mkdirSync(reportDir, { recursive: true });
  fs.writeFileSync(path.join(reportDir, 'journal.json'), `${JSON.stringify(journal, null, 2)}\n`);
  const junit = junitReport(journal);
  fs.writeFileSync(path.join(reportDir, 'junit.xml'), junit);
  fs.mkdirSync(path.join(reportsRoot, 'junit'), { recursive: true });
  fs.writeFileSync(path.join(reportsRoot, 'junit', 'chaos.xml'), junit);
  fs.writeFileSync(path.join(reportDir, 'index.html'), htmlReport(journal));
  const { failed, vacuous } = journal.summary;
  // A run in which nothing passed proved nothing (e.g. every scenario skipped).
  const exitCode = failed + vacuous > 0 || signal.aborted || journal.summary.passed === 0 ? 1 : 0;
  return { journal, reportDir, exitCode };
}
