import type { ResolvedConfig } from '@harness/runtime';
import type { SystemScenario } from '../systems/SystemScenario.ts';
import { runSystemScenario, type SystemScenarioOutcome } from '../systems/runSystemScenario.ts';
import { startSystemUnderChaos } from '../systems/SystemUnderChaos.ts';
import { describeCells, FAULT_START_MS, runId, slug, type CellRunner, type CellVerdict } from './cellRunner.ts';
import { DEFAULT_FAULT_MS, type FaultCell } from './faultSpace.ts';

/**
 * The scenario one run of the black-box runner drives: its faults (one, or a pair over the same
 * window) under the config's explore workload, judged by the cells' oracles, the response rules
 * (every 5xx carries Retry-After, no answer past the request budget), the invariants and recovery.
 */
export function cellScenario(config: ResolvedConfig, cells: FaultCell | readonly FaultCell[]): SystemScenario {
  const list: readonly FaultCell[] = Array.isArray(cells) ? cells : [cells as FaultCell];
  const explore = config.explore;
  if (!explore?.workload) throw new Error(`${config.file}: explore.workload is not set`);
  const faultMs = explore.faultMs ?? DEFAULT_FAULT_MS;
  const judged = list.filter((cell) => cell.link !== undefined && cell.oracles.length > 0);
  return {
    id: runId(list),
    title: `explore: ${describeCells(list)}`,
    hypothesis: `With ${describeCells(list)} for ${faultMs} ms, the invariants hold${judged
      .map((cell) => `, ${cell.link} keeps its promised ${cell.oracles.join(', ')}`)
      .join('')}, every answer follows the response rules and every service is ready again afterwards.`,
    timeLimitMs: 60_000,
    ...(explore.serviceEnv ? { serviceEnv: explore.serviceEnv } : {}),
    faults: list.map((cell) => ({
      ...cell.spec,
      id: slug(cell.id),
      startMs: FAULT_START_MS,
      stopMs: FAULT_START_MS + faultMs,
    })) as SystemScenario['faults'],
    workload: explore.workload,
    expectations: {
      ...(judged.length > 0
        ? {
            oracles: judged.map((cell) => ({
              link: cell.link ?? '',
              fault: slug(cell.id),
              only: cell.oracles,
              ...(cell.minRetries === undefined ? {} : { minRetries: cell.minRetries }),
            })),
          }
        : {}),
      responses: explore.workload.map((stream) => ({
        stream: stream.id,
        window: { all: true },
        minResponses: 1,
        ...(explore.serverErrorsCarryRetryAfter === false ? {} : { serverErrorsCarryRetryAfter: true }),
        ...(explore.requestBudgetMs === undefined ? {} : { maxLatencyMs: explore.requestBudgetMs }),
      })),
      settleWithinMs: explore.settleWithinMs ?? 20_000,
    },
    recovery: { withinMs: 15_000 },
  };
}

/** survived, violated (naming what failed), vacuous (the fault touched nothing), or error. */
export function verdictOf(outcome: SystemScenarioOutcome): { verdict: CellVerdict; failed: string[] } {
  if (outcome.error) return { verdict: 'error', failed: [`error: ${outcome.error}`] };
  const failedChecks = outcome.checks.filter((check) => !check.passed);
  const failed = [
    ...failedChecks.map((check) => `${check.name}: ${check.detail}`),
    ...outcome.oracles
      .filter((oracle) => !oracle.passed)
      .flatMap((oracle) =>
        oracle.checks.filter((c) => !c.passed).map((c) => `${oracle.oracle} ${c.name}: ${c.detail}`),
      ),
    ...outcome.invariants.filter((one) => !one.holds).map((one) => `invariant ${one.name}: ${one.detail}`),
  ];
  if (failed.length === 0) return { verdict: 'survived', failed };
  const onlyVacuity =
    failedChecks.length === failed.length && failedChecks.every((c) => c.name.startsWith('not-vacuous'));
  return { verdict: onlyVacuity ? 'vacuous' : 'violated', failed };
}

/** The black-box runner's cells: the config's services started under Toxiproxy and taps. */
export async function blackBoxCellRunner(
  config: ResolvedConfig,
  seed: number,
  log: (line: string) => void,
): Promise<CellRunner> {
  const system = await startSystemUnderChaos(config, { seed, log: (line) => log(`  ${line}`) });
  return {
    infra: system.running.infra.description,
    promises: config.resilience,
    taps: system.taps,
    entries: [...new Set((config.explore?.workload ?? []).map((stream) => stream.service))],
    async run(cells) {
      const scenario = cellScenario(config, cells);
      const outcome = await runSystemScenario(system, scenario, log);
      const injected = outcome.faults.flatMap((fault) => (fault.injectedAtMs === undefined ? [] : [fault]));
      const { verdict, failed } = verdictOf(outcome);
      return {
        verdict,
        failed,
        durationMs: outcome.durationMs,
        ...(injected.length > 0
          ? {
              faultWindow: {
                fromMs: Math.min(...injected.map((fault) => fault.injectedAtMs ?? 0)),
                // Until the lift began: a killed service's restart is not part of its fault.
                toMs: Math.max(...injected.map((fault) => fault.liftingAtMs ?? fault.liftedAtMs ?? Date.now())),
              },
            }
          : {}),
        replay: {
          id: scenario.id,
          source: [
            "import { defineScenario } from '@harness/ci/config';",
            '',
            `export default defineScenario(${JSON.stringify(scenario, null, 2)});`,
          ].join('\n'),
        },
      };
    },
    close: () => system.close(),
  };
}
