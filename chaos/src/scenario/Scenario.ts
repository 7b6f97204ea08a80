import type { RequestFaultSpec } from '../faults/requestFaults.ts';

/**
 * The chaos scenario format. A scenario is plain data: what we believe (hypothesis), how we know
 * the system is healthy (steady state), what we break and when (faults), what traffic we drive
 * (workload), what must hold (expectations) and what must be true again afterwards (recovery).
 * The runner interprets it; adding a scenario never needs a change to the runner.
 *
 * Times are milliseconds from the start of the experiment phase (t = 0 is when the first fault
 * may be injected and the workload starts).
 */

/** A service of the system's config (checked against it when the scenario loads). */
export type ChaosService = string;

/** An HTTP link of the system's config between services under chaos (checked when the scenario loads). */
export type HttpLinkId = string;

/** Which Toxiproxy proxy a link fault hits: an HTTP link, or a service's database/broker connection. */
export type ProxyTarget = { link: HttpLinkId } | { database: ChaosService } | { broker: ChaosService };

export type Direction = 'upstream' | 'downstream';

/** Every Toxiproxy toxic, with its attributes named in milliseconds/bytes. */
export type Toxic =
  | { type: 'latency'; latencyMs: number; jitterMs?: number }
  | { type: 'bandwidth'; rateKBps: number }
  | { type: 'slow_close'; delayMs: number }
  /** Stops all data; closes the connection after timeoutMs (0: never, data is held). */
  | { type: 'timeout'; timeoutMs: number }
  /** TCP RST after timeoutMs (0: on the first data). */
  | { type: 'reset_peer'; timeoutMs: number }
  | { type: 'slicer'; averageSize: number; sizeVariation: number; delayUs: number }
  /** Closes the connection once it carried this many bytes. */
  | { type: 'limit_data'; bytes: number };

export type ToxicType = Toxic['type'];
export const TOXIC_TYPES: readonly ToxicType[] = [
  'latency',
  'bandwidth',
  'slow_close',
  'timeout',
  'reset_peer',
  'slicer',
  'limit_data',
];

interface Timed {
  /** Unique within the scenario; used in windows ("during fault X") and the journal. */
  id: string;
  startMs: number;
  /** When the fault is lifted; undefined: it stays until rollback. */
  stopMs?: number;
}

export interface ToxicFault extends Timed {
  kind: 'toxic';
  target: ProxyTarget;
  toxic: Toxic;
  /** One direction, or both (one toxic per direction). */
  direction: Direction | 'both';
  /**
   * Fraction of connections affected (0 < t ≤ 1). Toxiproxy decides per connection, so pooled
   * keep-alive connections keep their luck: set cycleConnectionsEveryMs to re-roll it.
   */
  toxicity?: number;
  /** Closes every connection through the proxy this often while the fault is active. */
  cycleConnectionsEveryMs?: number;
  /** Closes every connection through the proxy when the fault is lifted (held data is dropped). */
  closeConnectionsOnStop?: boolean;
}

/** The proxy is disabled: connections are refused (and open ones closed). */
export interface ProxyDownFault extends Timed {
  kind: 'proxy-down';
  target: ProxyTarget;
}

/**
 * kill: SIGKILL at start, restarted at stop (or at rollback); pause: SIGSTOP at start, SIGCONT at
 * stop; restart: graceful SIGTERM and start again at start (stopMs unused).
 */
export interface ProcessFault extends Timed {
  kind: 'process';
  service: ChaosService;
  action: 'kill' | 'pause' | 'restart';
}

export interface PoisonMessage {
  /** Names the message in the journal and the dead-letter accounting. */
  name: string;
  routingKey: string;
  /** Sent as is (a string that is not JSON makes an invalid_json poison). */
  body: string;
  /** AMQP messageId; leave out for a message without one. */
  messageId?: string;
  headers?: Readonly<Record<string, string | number | boolean>>;
}

export type MessageFault =
  /** Publishes malformed messages to the order-events exchange. */
  | (Timed & { kind: 'message'; action: 'poison'; messages: readonly PoisonMessage[] })
  /**
   * Publishes again copies (same message id) of events the outbox already published: the outbox of
   * `producer` (a service of the system), else the kit domain's outbox service.
   */
  | (Timed & { kind: 'message'; action: 'duplicate'; eventType: string; count: number; producer?: string })
  /** Stops the broker application (stop_app) at start and starts it again at stop. */
  | (Timed & { kind: 'message'; action: 'broker-restart' });

/**
 * A request-level fault on an HTTP link, injected by the tap in front of it (Toxiproxy sees only
 * TCP): answer a status, delay, drop, cut the answer mid-body or hang, for the requests `select`
 * picks (the first N, every Nth, a seeded share, by method, path or header, per Idempotency-Key).
 */
export interface RequestFault extends Timed, RequestFaultSpec {
  kind: 'request';
  target: { link: HttpLinkId };
}

export type Fault = ToxicFault | ProxyDownFault | ProcessFault | MessageFault | RequestFault;

export interface LineItemSpec {
  productId: string;
  quantity: number;
}

/** Places orders through the gateway, one Idempotency-Key per checkout. */
export interface PlaceOrdersStream {
  kind: 'place-orders';
  id: string;
  count: number;
  concurrency: number;
  /** Pause between two checkouts of one worker. */
  intervalMs?: number;
  startMs?: number;
  items: readonly LineItemSpec[];
  paymentToken?: string;
  /** Requests sent at once with the same key and body (concurrent duplicate submits). */
  duplicates?: number;
}

/** Reads order views through the gateway (of orders placed before the experiment). */
export interface ReadOrdersStream {
  kind: 'read-orders';
  id: string;
  everyMs: number;
  count: number;
  startMs?: number;
  /**
   * Reads through this link's Toxiproxy proxy as the link's caller would (an HTTP or GraphQL link
   * into the entry service, e.g. the storefront's L1 or L10): the kit domain's client for that link
   * (over GraphQL on a GraphQL link). Absent: straight at the entry service.
   */
  link?: string;
}

/** Reads the catalogue through the entry service (needs a kit domain client with `browseProducts`). */
export interface BrowseProductsStream {
  kind: 'browse-products';
  id: string;
  everyMs: number;
  count: number;
  startMs?: number;
}

/**
 * Reads the caller's order history through the entry service (needs a kit domain client with
 * `readHistory`), e.g. a read model that may answer stale.
 */
export interface ReadHistoryStream {
  kind: 'read-history';
  id: string;
  everyMs: number;
  count: number;
  startMs?: number;
}

export type WorkloadStream = PlaceOrdersStream | ReadOrdersStream | BrowseProductsStream | ReadHistoryStream;

/** A window of the experiment in which an expectation applies. */
export type Window =
  | { all: true }
  | { duringFault: string }
  | { afterFault: string }
  /** While the breaker of `service` towards `dependency` was in this state. */
  | { whileBreaker: { service: ChaosService; dependency: string; state: 'open' | 'closed' } }
  /** After the breaker closed again (the last half-open → closed transition). */
  | { afterBreakerClosed: { service: ChaosService; dependency: string } };

export interface ResponseExpectation {
  stream: string;
  window: Window;
  /** Statuses every response in the window must have. */
  statuses?: readonly number[];
  /** Every 503 carries Retry-After. */
  retryAfterOn503?: boolean;
  /** Every 5xx carries Retry-After (a 500, 502 or 504 never does: a bug or a relayed failure, not an answer). */
  serverErrorsCarryRetryAfter?: boolean;
  /** At least this fraction of the responses in the window have a 2xx status. */
  minSuccessRatio?: number;
  maxP95Ms?: number;
  maxLatencyMs?: number;
  /** Fewer responses in the window make the expectation fail (it would prove nothing). */
  minResponses: number;
  /** Requests sharing an Idempotency-Key agree: one order id among their 201/202 answers. */
  duplicatesAgree?: boolean;
  /** Every 2xx body is complete and matches what was asked (the order's items, the order id read). */
  bodiesIntact?: boolean;
  /**
   * At least `min` responses in the window carry `mark`: what the kit domain's client noticed in an
   * answer (the reference's marks a history answer `stale` when the read model says it is behind).
   */
  marked?: { mark: string; min: number };
}

export type OracleSpec = (
  | {
      kind: 'breaker';
      service: ChaosService;
      dependency: string;
      closesAgain?: boolean;
      /**
       * While open the caller answers from a fallback (2xx without the dependency's part), which
       * the black-box breaker oracle then accepts as a fast answer.
       */
      fallback?: boolean;
    }
  | {
      kind: 'retry';
      service: ChaosService;
      dependency: string;
      /** At least this many retries must have happened (else the oracle proved nothing). */
      minRetries: number;
      /**
       * Retries the black-box oracle must see reach the dependency (default `minRetries`): once
       * the breaker opens, the retries it refuses never leave the caller, so the wire shows fewer.
       */
      minRetriesOnTheWire?: number;
      /** Upper bound of attempts of all calls to the dependency during the scenario (no retry storm). */
      maxTotalAttempts?: number;
    }
  | { kind: 'bulkhead'; service: ChaosService; dependency: string; minRejections: number; fastRejectMs: number }
) & {
  /**
   * Also judge the claim from the wire with the black-box oracle (default true). Off when the
   * workload mixes calls that need the dependency with calls that do not (order views beside
   * checkouts): the wire cannot tell which answers owe nothing to the dependency.
   */
  fromTheWire?: boolean;
};

/** An invariant of the system's kit domain (or the kit's `dead-letters-accounted`), checked when the scenario loads. */
export type InvariantName = string;

/**
 * Proof that fault `fault` touched traffic, on top of the automatic checks (bytes through its
 * Toxiproxy proxy, attempts of the link's client, dead-letter and redelivery counters). Counters
 * and gauges are read over the fault's active window (plus a short grace for effects that are
 * recorded when a call ends).
 */
export type EvidenceSpec =
  /** A counter of a service grew by at least `min` (restarted processes are summed). */
  | {
      kind: 'counter';
      fault: string;
      service: ChaosService;
      metric: string;
      labels?: Readonly<Record<string, string>>;
      min: number;
      /**
       * Counted this long after the fault is lifted (default 3000 ms), for an effect that comes
       * late: a Kafka consumer group hands a killed member's partitions on only once its session
       * has timed out. The runner waits for the count, no longer than this.
       */
      graceMs?: number;
    }
  /** A gauge reached at least `min` (sampled). */
  | {
      kind: 'gauge-max';
      fault: string;
      service: ChaosService;
      metric: string;
      labels?: Readonly<Record<string, string>>;
      min: number;
    }
  /** A SQL count on a service database, taken right when the fault is injected (`$1`: experiment start, ISO time). */
  | { kind: 'sql-at-fault'; fault: string; service: ChaosService; sql: string; min: number }
  /** Responses of a stream with this status. */
  | { kind: 'responses'; fault: string; stream: string; status: number; min: number }
  /**
   * Calls on an HTTP link that were retried although the dependency had answered the first attempt
   * with a 2xx: the answer was lost after the work was done, the case idempotency keys exist for.
   */
  | { kind: 'replayed-calls'; fault: string; link: HttpLinkId; min: number };

export type SteadyStateProbe =
  /** Every service answers /health/ready with 200. */
  | { kind: 'services-ready' }
  /** Every circuit breaker gauge reads closed. */
  | { kind: 'breakers-closed' }
  /** One order placed through the gateway is confirmed (201). */
  | { kind: 'order-confirmed' }
  /** The order outbox has nothing pending. */
  | { kind: 'outbox-drained' }
  /**
   * One catalogue read through the entry service answers 200 (needs a kit domain client with
   * `browseProducts`). It drives calls over the links a catalogue read uses, so a breaker a fault
   * opened there gets the call that lets it half-open and close.
   */
  | { kind: 'catalogue-read' };

export interface Scenario {
  /** Kebab-case, unique; the file name and the CLI argument. */
  id: string;
  title: string;
  hypothesis: string;
  /** In the CI profile (the fast one the README's test command runs). */
  ci: boolean;
  /** The whole scenario, setup to verdict, must fit in this (≤ 60 s). */
  timeLimitMs: number;
  /** Service env on top of the chaos-tuned base (e.g. a shorter timeout); services restart when it changes. */
  serviceEnv?: Partial<Record<ChaosService, Readonly<Record<string, string>>>>;
  steadyState: readonly SteadyStateProbe[];
  faults: readonly Fault[];
  workload: readonly WorkloadStream[];
  expectations: {
    responses?: readonly ResponseExpectation[];
    oracles?: readonly OracleSpec[];
    invariants: readonly InvariantName[];
    evidence?: readonly EvidenceSpec[];
    /** Bound within which every order is terminal, the outbox drained and notifications sent. */
    settleWithinMs: number;
  };
  /** After rollback the steady state must hold again within this. */
  recovery: { withinMs: number; probes: readonly SteadyStateProbe[] };
  /**
   * Extra rollback steps. Every fault is undone by the runner anyway (toxics removed, proxies
   * enabled, SIGCONT, killed services restarted, broker started), also on failure and Ctrl-C.
   */
  rollback?: readonly RollbackStep[];
}

export type RollbackStep = { kind: 'restart-service'; service: ChaosService } | { kind: 'purge-queue'; queue: string };
