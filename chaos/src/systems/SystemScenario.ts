import type { BlackBoxOracleName } from '../oracles/blackbox/index.ts';
import type { RequestStream } from '@harness/runtime/config';
import type { RequestFaultSpec } from '../faults/requestFaults.ts';

export type { RequestFaultAction, RequestFaultSpec, RequestSelector } from '../faults/requestFaults.ts';
import type { Direction, Toxic } from '../scenario/Scenario.ts';

/**
 * A chaos scenario for any system described by a harness.config.ts: plain data naming the config's
 * links and services. Faults are Toxiproxy toxics on a link, a service's database or broker
 * connection, or a process fault; the workload is HTTP requests to a service; expectations are the
 * black-box oracles of each link's promised resilience, response expectations and the config's
 * invariants. Times are milliseconds from the start of the experiment.
 */
export interface SystemScenario {
  /** Kebab-case, unique; the CLI argument. */
  id: string;
  title: string;
  hypothesis: string;
  /** The whole scenario, setup to verdict, must fit in this. */
  timeLimitMs: number;
  /** Env per service for this scenario (on top of the config's); those services restart with it. */
  serviceEnv?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  faults: readonly SystemFault[];
  workload: readonly RequestStream[];
  expectations: {
    /** Black-box oracles: what reached the link's dependency and what the caller answered, against `links[].resilience`. */
    oracles?: readonly BlackBoxExpectation[];
    responses?: readonly SystemResponseExpectation[];
    /** Names of the config's `chaos.invariants` to check once the system settled (default: all of them). */
    invariants?: readonly string[];
    /** Bound within which the invariants must hold after the workload. */
    settleWithinMs: number;
  };
  /** After the faults are lifted every service must be ready again within this. */
  recovery: { withinMs: number };
}

/** Where a Toxiproxy fault hits: an HTTP link, a service's database connection, or its broker connection. */
export type SystemTarget = { link: string } | { database: string } | { broker: string };

interface Timed {
  /** Unique within the scenario; named by windows and oracles. */
  id: string;
  startMs: number;
  /** When it is lifted (default: when the workload ends). */
  stopMs?: number;
}

export type SystemFault =
  | (Timed & { kind: 'toxic'; target: SystemTarget; toxic: Toxic; direction?: Direction | 'both'; toxicity?: number })
  /** The proxy is disabled: connections are refused. */
  | (Timed & { kind: 'proxy-down'; target: SystemTarget })
  /**
   * A request-level fault, injected by the tap in front of the HTTP link: a status answered by the
   * tap, a delay, a drop, an answer cut mid-body or a hang, for the requests `select` picks.
   */
  | (Timed & RequestFaultSpec & { kind: 'request'; target: { link: string } })
  /** kill: SIGKILL, started again when lifted; pause: SIGSTOP, SIGCONT when lifted. */
  | (Timed & { kind: 'process'; service: string; action: 'kill' | 'pause' });

export type { RequestStream } from '@harness/runtime/config';

export type SystemWindow = { all: true } | { duringFault: string } | { afterFault: string };

export interface SystemResponseExpectation {
  stream: string;
  window: SystemWindow;
  /** Statuses every response in the window must have. */
  statuses?: readonly number[];
  /** At least this share of the responses in the window are 2xx. */
  minSuccessRatio?: number;
  maxLatencyMs?: number;
  /** Every 5xx carries Retry-After. */
  serverErrorsCarryRetryAfter?: boolean;
  /** Fewer responses in the window fail the expectation (it would prove nothing). */
  minResponses: number;
}

export interface BlackBoxExpectation {
  /** An HTTP link of the config with a `resilience` promise. */
  link: string;
  /** The fault the oracles judge (its window). */
  fault: string;
  /** The caller's answers come from these streams (default: every stream to the link's caller). */
  streams?: readonly string[];
  /** Only these oracles (default: one per promise of the link). */
  only?: readonly BlackBoxOracleName[];
  minRetries?: number;
  /** Slack for clocks and scheduling (default 150 ms). */
  toleranceMs?: number;
}

/** Types a scenario file: `export default defineScenario({ ... })`. */
export function defineScenario(scenario: SystemScenario): SystemScenario {
  return scenario;
}
