import type { ExpectationResult } from '../expectations/responseExpectations.ts';
import type { FaultRecord, RollbackRecord } from '../faults/FaultController.ts';
import type { InvariantResult } from '../invariants/Invariant.ts';
import type { PolicySettings } from '../observe/effectivePolicies.ts';
import type { BreakerState } from '../observe/ResilienceLogCollector.ts';
import type { OracleResult } from '../oracles/OracleResult.ts';
import type { ResponseRecord } from '../workload/ResponseRecord.ts';
import type { ProbeResult } from './steadyState.ts';
import type { FaultEvidence } from './vacuity.ts';
import type { Scenario } from '../scenario/Scenario.ts';
import { scenarioLinks } from './scenarioLinks.ts';

export type ScenarioStatus = 'passed' | 'failed' | 'vacuous' | 'skipped';

/** What the HTML timeline draws besides the responses. */
export interface Timeline {
  t0: number;
  endMs: number;
  breakers: Array<{
    service: string;
    dependency: string;
    intervals: Array<{ state: BreakerState; fromMs: number; toMs: number }>;
  }>;
  /** Bytes per sample interval through the proxies the scenario's faults target. */
  proxyBytes: Array<{ proxy: string; points: Array<{ atMs: number; bytes: number }> }>;
  /** Retries and short-circuits per dependency, as event times. */
  retries: Array<{ atMs: number; label: string }>;
}

/** One run of one scenario: everything the journal, the JUnit file and the HTML page show. */
export interface ScenarioRun {
  id: string;
  title: string;
  hypothesis: string;
  repeat: number;
  status: ScenarioStatus;
  /** Why it failed, was vacuous or skipped (one line each). */
  failures: string[];
  startedAt: string;
  durationMs: number;
  restartedForEnv: string[];
  /** The topology links the scenario exercises (for the combined report's link matrix). */
  links: string[];
  /** The effective settings the services reported after the scenario's env, by `service → dependency`. */
  policies: Record<string, PolicySettings>;
  steadyState: ProbeResult[];
  faults: FaultRecord[];
  responses: ResponseRecord[];
  expectations: ExpectationResult[];
  oracles: OracleResult[];
  invariants: InvariantResult[];
  evidence: FaultEvidence[];
  rollback: RollbackRecord[];
  recovery: ProbeResult[];
  timeline: Timeline | undefined;
  /**
   * Trace ids of the failed and slowest responses whose traces were read from the run's Jaeger
   * and kept next to the report as `traces/<id>.json` (absent: the run had no Jaeger).
   */
  keptTraces?: string[];
}

/** A run of `scenario` that has done nothing yet: status passed, every record empty. */
export function emptyRun(scenario: Scenario, repeat: number, startedAtMs: number): ScenarioRun {
  return {
    id: scenario.id,
    title: scenario.title,
    hypothesis: scenario.hypothesis,
    repeat,
    status: 'passed',
    failures: [],
    startedAt: new Date(startedAtMs).toISOString(),
    durationMs: 0,
    restartedForEnv: [],
    links: scenarioLinks(scenario),
    policies: {},
    steadyState: [],
    faults: [],
    responses: [],
    expectations: [],
    oracles: [],
    invariants: [],
    evidence: [],
    rollback: [],
    recovery: [],
    timeline: undefined,
  };
}
