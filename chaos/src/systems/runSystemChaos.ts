import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, type ResolvedConfig } from '@harness/runtime';
import { loadSystemScenarios } from './loadSystemScenarios.ts';
import type { SystemScenario } from './SystemScenario.ts';
import { runSystemScenario, type SystemScenarioOutcome } from './runSystemScenario.ts';
import { heldOutput, sideBySide } from '../runner/sideBySide.ts';
import { startSystemUnderChaos } from './SystemUnderChaos.ts';
import { systemChaosJunit } from './systemChaosJunit.ts';

export interface SystemChaosOptions {
  /** Scenario ids to run (default: all). */
  scenarios?: readonly string[];
  repeat?: number;
  seed?: number;
  /** Env per service on top of (and winning over) each scenario's own: a mutant of `harness mutate`. */
  serviceEnv?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Also write reports/junit/chaos-<system>.xml (default true). */
  sharedJunit?: boolean;
  reportsDir?: string;
  /**
   * Systems side by side (default 1), each started on ports of its own; a free one takes the next
   * scenario, whose output is printed as one block when it ends.
   */
  parallel?: number;
  /** Aborted (Ctrl-C): no new scenario starts; the one in progress ends, rolled back. */
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export interface SystemChaosResult {
  outcomes: SystemScenarioOutcome[];
  reportDir: string;
  /** 0 when every scenario passed. */
  exitCode: number;
}

/**
 * `harness chaos` for a config system: loads the scenarios the config names, starts the system
 * with a tap in front of every HTTP link's proxy, runs each scenario (repeated if asked) and writes
 * reports/chaos/<system>/{journal.json,junit.xml} and reports/junit/chaos-<system>.xml.
 */
export async function runSystemChaos(
  config: ResolvedConfig,
  options: SystemChaosOptions = {},
): Promise<SystemChaosResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const all = await loadSystemScenarios(config);
  const wanted = options.scenarios ?? [];
  const unknown = wanted.filter((id) => !all.some((entry) => entry.scenario.id === id));
  if (unknown.length > 0)
    throw new Error(
      `unknown scenario ${unknown.join(', ')}; scenarios: ${all.map((entry) => entry.scenario.id).join(', ')}`,
    );
  const chosen = wanted.length > 0 ? all.filter((entry) => wanted.includes(entry.scenario.id)) : all;
  const reportDir = options.reportsDir ?? path.join(REPO_ROOT, 'reports', 'systems', config.name, 'chaos');
  fs.mkdirSync(reportDir, { recursive: true });
  const started = Date.now();
  log(`=== chaos on ${config.name}: ${chosen.map((entry) => entry.scenario.id).join(', ')}`);
  const queue = Array.from({ length: options.repeat ?? 1 }, () => chosen.map((entry) => entry.scenario))
    .flat()
    .map((scenario, index) => ({ scenario, index }));
  const parallel = options.parallel ?? 1;
  if (!(Number.isInteger(parallel) && parallel >= 1))
    throw new Error(`parallel must be a whole number of systems (1 or more), got ${parallel}`);
  const side = Math.min(parallel, Math.max(1, queue.length));
  const done: Array<{ index: number; outcome: SystemScenarioOutcome }> = [];
  // Side by side, a scenario's lines (and its system's) are held and printed together when it ends.
  const output = heldOutput(log, side);
  await sideBySide({
    systems: side,
    items: queue,
    ...(options.signal ? { stopped: () => options.signal?.aborted === true } : {}),
    start: (number) =>
      startSystemUnderChaos(config, {
        ...(options.seed === undefined ? {} : { seed: options.seed }),
        log: (line) => output.of(number)(`  ${line}`),
      }),
    run: (system, item, number) =>
      output.holding(number, async () => {
        const out = output.of(number);
        out(`--- ${item.scenario.id}: ${item.scenario.title}${side > 1 ? ` (system ${number})` : ''}`);
        const outcome = await runSystemScenario(system, withServiceEnv(item.scenario, options.serviceEnv), out);
        done.push({ index: item.index, outcome });
        for (const line of describeOutcome(outcome)) out(line);
      }),
    close: (system) => system.close(),
  });
  const outcomes = done.sort((a, b) => a.index - b.index).map((one) => one.outcome);
  const journal = {
    system: config.name,
    config: config.file,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    summary: {
      passed: outcomes.filter((outcome) => outcome.passed).length,
      failed: outcomes.filter((outcome) => !outcome.passed).length,
    },
    // One entry per scenario run with the links its faults hit, as `harness report` reads journals.
    runs: outcomes.map((outcome) => ({
      id: outcome.id,
      status: outcome.passed ? 'passed' : 'failed',
      links: linksHit(config, chosen.find((entry) => entry.scenario.id === outcome.id)?.scenario),
    })),
    scenarios: outcomes,
  };
  fs.writeFileSync(path.join(reportDir, 'journal.json'), `${JSON.stringify(journal, null, 2)}\n`);
  const junit = systemChaosJunit(config.name, outcomes);
  fs.writeFileSync(path.join(reportDir, 'junit.xml'), junit);
  if (options.sharedJunit !== false) {
    fs.mkdirSync(path.join(REPO_ROOT, 'reports', 'junit'), { recursive: true });
    fs.writeFileSync(path.join(REPO_ROOT, 'reports', 'junit', `chaos-${config.name}.xml`), junit);
  }
  const exitCode =
    !options.signal?.aborted && outcomes.length > 0 && outcomes.every((outcome) => outcome.passed) ? 0 : 1;
  return { outcomes, reportDir, exitCode };
}

/** The scenario with `env` laid over its own service env, service by service (`env` wins). */
export function withServiceEnv(
  scenario: SystemScenario,
  env: Readonly<Record<string, Readonly<Record<string, string>>>> | undefined,
): SystemScenario {
  if (!env || Object.keys(env).length === 0) return scenario;
  const merged: Record<string, Record<string, string>> = {};
  for (const service of new Set([...Object.keys(scenario.serviceEnv ?? {}), ...Object.keys(env)]))
    merged[service] = { ...scenario.serviceEnv?.[service], ...env[service] };
  return { ...scenario, serviceEnv: merged };
}

/** The verdict of one scenario, with every failed check, oracle check and invariant named. */
export function describeOutcome(outcome: SystemScenarioOutcome): string[] {
  const lines = [
    `${outcome.passed ? 'PASS' : 'FAIL'} ${outcome.id} (${(outcome.durationMs / 1000).toFixed(1)} s, ${outcome.requests.sent} requests: ${Object.entries(
      outcome.requests.byStatus,
    )
      .map(([status, count]) => `${count}×${status}`)
      .join(' ')})`,
  ];
  if (outcome.error) lines.push(`  error: ${outcome.error}`);
  for (const one of outcome.checks) if (!one.passed) lines.push(`  ${one.name}: ${one.detail}`);
  for (const oracle of outcome.oracles) {
    lines.push(`  ${oracle.passed ? 'ok  ' : 'FAIL'} oracle ${oracle.oracle}`);
    for (const one of oracle.checks) if (!one.passed) lines.push(`      ${one.name}: ${one.detail}`);
  }
  for (const invariant of outcome.invariants)
    lines.push(`  ${invariant.holds ? 'ok  ' : 'FAIL'} invariant ${invariant.name}: ${invariant.detail}`);
  return lines;
}

/** The links a scenario's faults hit: an HTTP link's own, and the message links of a broker connection's service. */
function linksHit(config: ResolvedConfig, scenario: SystemScenario | undefined): string[] {
  const links = new Set<string>();
  for (const fault of scenario?.faults ?? []) {
    if (fault.kind === 'process') continue;
    const target = fault.target;
    if ('link' in target) links.add(target.link);
    else if ('broker' in target)
      for (const link of config.topology.links)
        if (link.kind === 'amqp' && (link.from === target.broker || link.to === target.broker)) links.add(link.id);
  }
  return [...links];
}
