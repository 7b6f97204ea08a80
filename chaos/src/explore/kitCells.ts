import type { ResolvedConfig } from '@harness/runtime';
import type { LinkResilience } from '../oracles/blackbox/LinkResilience.ts';
import { readEffectivePolicies } from '../observe/effectivePolicies.ts';
import { promiseOf } from '../runner/judgeFromTheWire.ts';
import { openKitSession } from '../runner/runSuite.ts';
import type { ScenarioRun } from '../runner/ScenarioRun.ts';
import type { OracleSpec, Scenario, SteadyStateProbe } from '../scenario/Scenario.ts';
import { validateScenario } from '../scenario/validateScenario.ts';
import { chaosServices, entryService, kitDomain, kitInvariants, useKitConfig } from '../system/kitSystem.ts';
import { linkOf } from '../system/linkClients.ts';
import { describeCells, FAULT_START_MS, runId, slug, type CellRunner, type CellVerdict } from './cellRunner.ts';
import { DEFAULT_FAULT_MS, type FaultCell } from './faultSpace.ts';

/**
 * The kit scenario one exploration run drives: its faults over one window under the kit domain's
 * explore workload, judged by the kit's oracles for the promise each fault tests (and the same
 * claims from the wire), the response rules, every invariant, and recovery.
 */
export function kitCellScenario(
  config: ResolvedConfig,
  cells: readonly FaultCell[],
  /** What each link's caller reports (its breaker threshold and timeout), when known. */
  promises: Readonly<Record<string, LinkResilience>> = {},
): Scenario {
  const explore = config.explore ?? {};
  const domain = kitDomain();
  const workload = domain.exploreWorkload;
  if (!workload || workload.length === 0)
    throw new Error(
      `${config.chaos.kit ?? 'the kit domain'}: exploreWorkload is not set (the workload every run drives)`,
    );
  const faultMs = explore.faultMs ?? DEFAULT_FAULT_MS;
  const oracles: OracleSpec[] = [];
  // A checkout drives the half-open probes of the breakers on its own path; a workload that reads
  // the catalogue also needs one catalogue read after the fault, or a breaker the fault opened on
  // the catalogue's links (gateway → inventory, its gRPC stock link) sees no call and stays open,
  // and every later run waits for it in vain.
  const readsCatalogue: SteadyStateProbe[] = workload.some((stream) => stream.kind === 'browse-products')
    ? [{ kind: 'catalogue-read' }]
    : [];
  // A pair is judged by the invariants, the response rules and recovery: each fault's promise was
  // judged alone, and the other fault changes the traffic the kit's oracles need (order's slow
  // database leaves too few calls to payment for its breaker to open).
  for (const cell of cells.length === 1 ? cells : []) {
    const link = cell.link === undefined ? undefined : config.topology.links.find((one) => one.id === cell.link);
    if (!link) continue;
    // A dependency's 503 is a considered answer some callers relay rather than count or retry
    // (gateway relays order's); what a caller does with it is its own policy, not a promise.
    if (cell.fault === 'status-503') continue;
    for (const name of cell.oracles) {
      // Judged from the callers' own resilience logs only: the explore workload mixes requests that
      // need the dependency with some that do not (order views while payment is down), which the
      // wire cannot tell apart.
      // The kit's breaker oracle fails a breaker that never opened: judge it only when even a
      // serial caller meets its threshold of timed-out calls while the fault is in force (the
      // black-box oracle says "not judged" instead, from what the wire shows).
      const promise = promises[link.id];
      const slow = cell.fault === 'latency' || cell.fault === 'black-hole' || cell.fault === 'slow-bandwidth';
      const opensInTime =
        !slow ||
        promise?.breaker === undefined ||
        promise.breaker.threshold * (promise.timeoutMs ?? 0) <= (explore.faultMs ?? DEFAULT_FAULT_MS);
      if (name === 'breaker' && opensInTime)
        oracles.push({ kind: 'breaker', service: link.from, dependency: link.to, fromTheWire: false });
      if (name === 'retry')
        oracles.push({ kind: 'retry', service: link.from, dependency: link.to, minRetries: 1, fromTheWire: false });
    }
  }
  return {
    id: runId(cells),
    title: `explore: ${describeCells(cells)}`,
    hypothesis: `With ${describeCells(cells)} for ${faultMs} ms, every invariant holds${
      oracles.length > 0
        ? `, the callers keep their ${oracles.map((o) => `${o.kind} towards ${o.dependency}`).join(', ')}`
        : ''
    }, every answer follows the response rules and the system is healthy again afterwards.`,
    ci: true,
    timeLimitMs: 60_000,
    ...(explore.serviceEnv ? { serviceEnv: explore.serviceEnv } : {}),
    steadyState: [{ kind: 'services-ready' }, ...readsCatalogue, { kind: 'breakers-closed' }],
    // Duplicates need events already published: half way through the fault's window.
    faults: cells.map((cell) => ({
      ...cell.spec,
      id: slug(cell.id),
      startMs: cell.spec.kind === 'message' ? FAULT_START_MS + faultMs / 2 : FAULT_START_MS,
      stopMs: FAULT_START_MS + faultMs,
    })) as unknown as Scenario['faults'],
    workload,
    expectations: {
      responses: workload.map((stream) => ({
        stream: stream.id,
        window: { all: true },
        minResponses: 1,
        retryAfterOn503: true,
        ...(explore.serverErrorsCarryRetryAfter === false ? {} : { serverErrorsCarryRetryAfter: true }),
        ...(explore.requestBudgetMs === undefined ? {} : { maxLatencyMs: explore.requestBudgetMs }),
        ...(stream.kind === 'place-orders' ? { duplicatesAgree: true } : {}),
        bodiesIntact: true,
      })),
      oracles,
      invariants: Object.keys(kitInvariants()),
      settleWithinMs: explore.settleWithinMs ?? 20_000,
    },
    // A checkout after the fault drives the half-open probes that close the breakers it opened.
    recovery: {
      withinMs: 15_000,
      probes: [{ kind: 'services-ready' }, { kind: 'order-confirmed' }, ...readsCatalogue, { kind: 'breakers-closed' }],
    },
  };
}

/** survived, violated (naming what failed), vacuous (nothing the fault touched), or error (the runner could not run it). */
export function kitVerdictOf(run: ScenarioRun): { verdict: CellVerdict; failed: string[] } {
  if (run.status === 'passed') return { verdict: 'survived', failed: [] };
  if (run.status === 'vacuous') return { verdict: 'vacuous', failed: run.failures };
  // A fault that touched nothing proves nothing, and the oracles of a link that carried no call fail
  // for that reason alone; a broken invariant is a finding all the same.
  const untouched = run.evidence.filter((evidence) => !evidence.touched);
  if (run.evidence.length > 0 && untouched.length === run.evidence.length && run.invariants.every((i) => i.passed))
    return {
      verdict: 'vacuous',
      failed: untouched.map(
        (evidence) => `fault ${evidence.fault} never touched traffic (${evidence.empty.join('; ')})`,
      ),
    };
  if (run.status === 'skipped' || run.failures.some((line) => line.startsWith('the runner could not carry it out')))
    return { verdict: 'error', failed: run.failures };
  return { verdict: 'violated', failed: run.failures };
}

/** The kit runner's cells: the system the kit runner starts for `harness chaos`, started once. */
export async function kitCellRunner(
  config: ResolvedConfig,
  seed: number,
  /** Where the system's service logs are kept. */
  logsDir: string,
  log: (line: string) => void,
  signal?: AbortSignal,
): Promise<CellRunner> {
  useKitConfig(config);
  const session = await openKitSession({
    attach: false,
    seed,
    ...(signal ? { signal } : {}),
    profile: 'ci',
    keepLogsIn: logsDir,
    log,
  });
  const promises: Record<string, LinkResilience> = {};
  try {
    const reported = await readEffectivePolicies(session.system);
    for (const [key, settings] of Object.entries(reported.policies)) {
      const [service, dependency] = key.split(' → ');
      const link = service && dependency ? linkOf(service, dependency) : undefined;
      if (link) promises[link] = promiseOf(settings, kitDomain().fallbackLinks?.includes(link) ?? false);
    }
  } catch (error) {
    await session.close();
    throw error;
  }
  return {
    infra: session.system.infra,
    promises,
    services: chaosServices(),
    taps: session.system.taps,
    entries: [entryService()],
    async run(cells) {
      const scenario = kitCellScenario(config, cells, promises);
      const problems = validateScenario(scenario);
      if (problems.length > 0)
        throw new Error(`explore built an invalid scenario ${scenario.id}: ${problems.join('; ')}`);
      const run = await session.run(scenario);
      const injected = run.faults.filter((fault) => fault.injectedAtMs !== undefined);
      const { verdict, failed } = kitVerdictOf(run);
      return {
        verdict,
        failed,
        durationMs: run.durationMs,
        ...(injected.length > 0
          ? {
              faultWindow: {
                fromMs: Math.min(...injected.map((fault) => fault.injectedAtMs ?? 0)),
                toMs: Math.max(...injected.map((fault) => fault.liftedAtMs ?? Date.now())),
              },
            }
          : {}),
        replay: {
          id: scenario.id,
          source: [
            "import type { Scenario } from '@harness/chaos';",
            '',
            `const scenario: Scenario = ${JSON.stringify(scenario, null, 2)};`,
            '',
            'export default scenario;',
          ].join('\n'),
        },
      };
    },
    close: () => session.close(),
  };
}
