import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, type MutantConfig, type ResolvedConfig } from '@harness/runtime';
import { junitSuite, type JunitCase } from '../report/junitSuite.ts';
import { runSuite } from '../runner/runSuite.ts';
import { loadScenarios, selectScenarios } from '../scenario/loadScenarios.ts';
import type { Scenario } from '../scenario/Scenario.ts';
import { useKitConfig } from '../system/kitSystem.ts';
import { runSystemChaos } from '../systems/runSystemChaos.ts';
import { runExplore } from '../explore/runExplore.ts';

export interface MutantVerdict {
  name: string;
  description?: string;
  killed: boolean;
  /** What killed it (scenario: first failure), or why it survived. */
  by: string[];
  durationMs: number;
}

export interface MutationScore {
  system: string;
  /** What ran against each mutant: the chaos scenarios, or the exploration (the config's CI subset of it). */
  stage: MutateStage;
  startedAt: string;
  durationMs: number;
  killed: number;
  total: number;
  /** killed / total. */
  score: number;
  /** Whether the suite passed on the system as it is (without it, a kill proves nothing). */
  baseline: 'passed' | 'failed' | 'skipped';
  mutants: MutantVerdict[];
}

export type MutateStage = 'chaos' | 'explore';

export interface MutateOptions {
  /** Aborted (Ctrl-C): the run in progress rolls back and stops, no further mutant runs. */
  signal?: AbortSignal;
  /** Run the chaos suite (default) or the exploration (explore.ci's cells, else the whole matrix) per mutant. */
  stage?: MutateStage;
  /** Mutant names (default: every declared one). */
  mutants?: readonly string[];
  /** Skip the run on the unmutated system. */
  skipBaseline?: boolean;
  seed?: number;
  reportsDir?: string;
  /**
   * Mutants run side by side (default 1), each on a system of its own as always; each mutant's
   * output is printed as one block when its run ends, and the verdicts keep the declared order.
   */
  parallel?: number;
  log?: (line: string) => void;
}

export interface MutateResult {
  score: MutationScore;
  reportDir: string;
  /** 0 when the baseline passed and every mutant was killed. */
  exitCode: number;
}

type EnvOverrides = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** One exploration (explore.ci's cells, else every cell; no pairs) with `env` over every run's: did a cell fail, and on what. */
async function runExploreStage(
  config: ResolvedConfig,
  env: EnvOverrides | undefined,
  reportsDir: string,
  seed: number,
  log: (line: string) => void,
  signal: AbortSignal | undefined,
): Promise<{ failed: boolean; failures: string[] }> {
  const result = await runExplore(config, {
    ...(signal ? { signal } : {}),
    only: config.explore?.ci?.only ?? [],
    pairs: false,
    seed,
    reportsDir,
    sharedJunit: false,
    // One violated cell kills the mutant; the baseline runs every cell.
    stopAtFirstViolation: env !== undefined,
    ...(env ? { serviceEnv: env } : {}),
    log,
  });
  const failures = result.matrix.cells
    .filter((cell) => cell.verdict === 'violated' || cell.verdict === 'error')
    .map((cell) => `${cell.id}: ${cell.failed[0] ?? cell.verdict}`);
  return { failed: result.exitCode !== 0, failures };
}

/** One run of the config's chaos suite (its own runner) with `env` over every scenario's: did it fail, and on what. */
async function runChaosSuite(
  config: ResolvedConfig,
  scenarios: readonly string[] | undefined,
  env: EnvOverrides | undefined,
  reportsDir: string,
  seed: number,
  log: (line: string) => void,
  signal: AbortSignal | undefined,
): Promise<{ failed: boolean; failures: string[] }> {
  if (config.chaos.runner === 'kit') {
    useKitConfig(config);
    const all = await loadScenarios();
    const chosen = selectScenarios(all, scenarios ?? [], 'ci').map((scenario) => kitWithEnv(scenario, env));
    const result = await runSuite({
      scenarios: chosen.map((scenario) => scenario.id),
      definitions: chosen,
      profile: 'ci',
      repeat: 1,
      seed,
      attach: false,
      reportsDir,
      log,
      ...(signal ? { signal } : {}),
    });
    const failures = result.journal.runs
      .filter((run) => run.status === 'failed' || run.status === 'vacuous')
      .map((run) => `${run.id} (${run.status}): ${run.failures[0] ?? ''}`);
    return { failed: result.exitCode !== 0, failures };
  }
  const result = await runSystemChaos(config, {
    ...(scenarios ? { scenarios } : {}),
    ...(env ? { serviceEnv: env } : {}),
    seed,
    reportsDir,
    sharedJunit: false,
    log,
    ...(signal ? { signal } : {}),
  });
  const failures = result.outcomes
    .filter((outcome) => !outcome.passed)
    .map((outcome) => {
      const first =
        outcome.error ??
        outcome.oracles
          .filter((oracle) => !oracle.passed)
          .flatMap((oracle) => oracle.checks.filter((c) => !c.passed).map((c) => `${oracle.oracle} ${c.name}`))[0] ??
        outcome.invariants.find((one) => !one.holds)?.name ??
        outcome.checks.find((c) => !c.passed)?.name ??
        'failed';
      return `${outcome.id}: ${first}`;
    });
  return { failed: result.exitCode !== 0, failures };
}

function kitWithEnv(scenario: Scenario, env: EnvOverrides | undefined): Scenario {
  if (!env) return scenario;
  const merged: Record<string, Record<string, string>> = {};
  for (const service of new Set([...Object.keys(scenario.serviceEnv ?? {}), ...Object.keys(env)]))
    merged[service] = { ...scenario.serviceEnv?.[service], ...env[service] };
  return { ...scenario, serviceEnv: merged };
}

/**
 * `harness mutate`: the config's chaos suite once on the system as it is (the baseline, which must
 * pass), then once per declared mutant with its env; a mutant is killed when the suite fails. The
 * score is killed / total; a surviving mutant fails the command. Writes score.json and junit.xml
 * (one case per mutant) under reports/mutate/ (the reference) or reports/systems/<name>/mutate/.
 */
export async function runMutate(config: ResolvedConfig, options: MutateOptions = {}): Promise<MutateResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const declared = config.mutants;
  if (declared.length === 0) throw new Error(`${config.file}: mutate.mutants declares no mutant`);
  const wanted = options.mutants ?? [];
  const unknown = wanted.filter((name) => !declared.some((mutant) => mutant.name === name));
  if (unknown.length > 0)
    throw new Error(`unknown mutant ${unknown.join(', ')}; mutants: ${declared.map((m) => m.name).join(', ')}`);
  const chosen: MutantConfig[] = wanted.length > 0 ? declared.filter((m) => wanted.includes(m.name)) : declared;
  const seed = options.seed ?? 1;
  const stage = options.stage ?? 'chaos';
  // The exploration's score beside the chaos suite's, not over it.
  const reportDir =
    options.reportsDir ??
    path.join(
      ...(config.chaos.runner === 'kit'
        ? [REPO_ROOT, 'reports', 'mutate']
        : [REPO_ROOT, 'reports', 'systems', config.name, 'mutate']),
      ...(stage === 'explore' ? ['explore'] : []),
    );
  fs.mkdirSync(reportDir, { recursive: true });
  if (stage === 'explore' && !config.explore)
    throw new Error(`${config.file}: explore is not set (the workload the exploration drives)`);
  const runStage = (
    scenarios: readonly string[] | undefined,
    env: EnvOverrides | undefined,
    dir: string,
    output: (line: string) => void,
  ): Promise<{ failed: boolean; failures: string[] }> =>
    stage === 'explore'
      ? runExploreStage(config, env, dir, seed, output, options.signal)
      : runChaosSuite(config, scenarios, env, dir, seed, output, options.signal);
  const started = Date.now();
  // The verdict lines of a run, indented under its mutant.
  const quietTo =
    (out: (line: string) => void) =>
    (line: string): void => {
      if (/^(PASS|FAIL|\s+FAIL|\s+[a-z-]+: |\s+(PASSED|FAILED|VACUOUS)|(VIOLATED|ERROR) )/.test(line))
        out(`    ${line.trim()}`);
    };
  const quiet = quietTo(log);

  let baseline: MutationScore['baseline'] = 'skipped';
  if (!options.skipBaseline) {
    const scenarios = chosen.every((m) => m.scenarios)
      ? [...new Set(chosen.flatMap((m) => m.scenarios ?? []))]
      : undefined;
    log(`=== mutate ${config.name}: baseline (no mutant)${scenarios ? `: ${scenarios.join(', ')}` : ''}`);
    const run = await runStage(scenarios, undefined, path.join(reportDir, 'baseline'), quiet);
    baseline = run.failed ? 'failed' : 'passed';
    if (run.failed) log(`baseline FAILED: ${run.failures.join('; ')}: a kill would prove nothing`);
  }

  const parallel = options.parallel ?? 1;
  if (!(Number.isInteger(parallel) && parallel >= 1))
    throw new Error(`parallel must be a whole number of mutants (1 or more), got ${parallel}`);
  const verdicts: Array<MutantVerdict | undefined> = [];
  if (baseline !== 'failed') {
    const side = Math.min(parallel, chosen.length);
    let next = 0;
    const runOne = async (index: number, mutant: MutantConfig): Promise<void> => {
      // Side by side, a mutant's lines are held and printed together when its run ends.
      const held: string[] = [];
      const out = side > 1 ? (line: string) => held.push(line) : log;
      const began = Date.now();
      const env = Object.entries(mutant.env)
        .map(
          ([service, vars]) =>
            `${service}: ${Object.entries(vars)
              .map(([k, v]) => `${k}=${v}`)
              .join(' ')}`,
        )
        .join('; ');
      out(
        `=== mutant ${mutant.name} (${env})${stage === 'explore' ? ' against the exploration' : mutant.scenarios ? ` against ${mutant.scenarios.join(', ')}` : ''}`,
      );
      try {
        const run = await runStage(mutant.scenarios, mutant.env, path.join(reportDir, mutant.name), quietTo(out));
        // An interrupted run failed because it was stopped: it kills nothing.
        if (options.signal?.aborted) return;
        const verdict: MutantVerdict = {
          name: mutant.name,
          ...(mutant.description ? { description: mutant.description } : {}),
          killed: run.failed,
          by: run.failed
            ? run.failures
            : [stage === 'explore' ? 'every explored cell still survived' : 'every scenario still passed'],
          durationMs: Date.now() - began,
        };
        verdicts[index] = verdict;
        out(`${verdict.killed ? 'KILLED  ' : 'SURVIVED'} ${mutant.name}: ${verdict.by[0] ?? ''}`);
      } finally {
        if (side > 1 && held.length > 0) log(held.join('\n'));
      }
    };
    const worker = async (): Promise<void> => {
      for (let index = next++; index < chosen.length && !options.signal?.aborted; index = next++) {
        const mutant = chosen[index];
        if (mutant) await runOne(index, mutant);
      }
    };
    const outcomes = await Promise.allSettled(Array.from({ length: side }, () => worker()));
    const crashed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (crashed) throw crashed.reason;
  }
  const mutants = verdicts.filter((verdict): verdict is MutantVerdict => verdict !== undefined);
  const killed = mutants.filter((m) => m.killed).length;
  const score: MutationScore = {
    system: config.name,
    stage,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    killed,
    total: chosen.length,
    score: chosen.length === 0 ? 0 : killed / chosen.length,
    baseline,
    mutants,
  };
  fs.writeFileSync(path.join(reportDir, 'score.json'), `${JSON.stringify(score, null, 2)}\n`);
  const junit = mutateJunit(score);
  fs.writeFileSync(path.join(reportDir, 'junit.xml'), junit);
  fs.mkdirSync(path.join(REPO_ROOT, 'reports', 'junit'), { recursive: true });
  fs.writeFileSync(path.join(REPO_ROOT, 'reports', 'junit', `mutate-${config.name}.xml`), junit);
  const exitCode = baseline === 'failed' || killed < chosen.length ? 1 : 0;
  return { score, reportDir, exitCode };
}

/** One case per mutant: killed passes, survived fails; a failing baseline is a failure of its own. */
function mutateJunit(score: MutationScore): string {
  const cases: JunitCase[] = score.mutants.map((m) => ({
    classname: `mutate.${score.system}`,
    name: m.name,
    seconds: m.durationMs / 1000,
    ...(m.killed ? {} : { failure: { message: `survived: ${m.by.join('; ')}` } }),
  }));
  if (score.baseline === 'failed')
    cases.unshift({
      classname: `mutate.${score.system}`,
      name: 'baseline',
      seconds: 0,
      failure: { message: 'the suite fails without a mutant' },
    });
  return junitSuite(`mutate ${score.system}`, cases);
}
