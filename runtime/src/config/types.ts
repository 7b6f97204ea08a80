import type { BrokerKind } from './brokerKind.ts';

/**
 * `harness.config.ts`: one typed description of a whole system, the way vitest and Playwright
 * describe theirs. Every stage reads it; the Toxiproxy proxies, the service environments, the Pact
 * link list, the chaos targets and the link matrix are derived from it. Paths are relative to the
 * config file. The README's "Config reference" documents every field with an example.
 */
export interface HarnessConfig {
  /** The system's name, shown by `harness up`, `status` and in reports. */
  name: string;
  /** Every service, by name (lower-case letters, digits and dashes). */
  services: Record<string, ServiceConfig>;
  /** The links between services: every HTTP link gets a Toxiproxy proxy, every message link is carried by the broker. */
  links?: LinkConfig[];
  /** PostgreSQL and the message broker (started only when a service needs them). */
  infrastructure?: InfrastructureConfig;
  /** Names of random secrets made anew for every run, usable in env templates as `{secret:NAME}`. */
  secrets?: string[];
  contracts?: ContractsConfig;
  chaos?: ChaosConfig;
  load?: LoadConfig;
  e2e?: E2eConfig;
  fuzz?: FuzzConfig;
  explore?: ExploreConfig;
  mutate?: MutateConfig;
}

/** A service the harness starts (a program in any language) or one that already runs (`url`). */
export type ServiceConfig = StartedServiceConfig | AttachedServiceConfig;

export interface StartedServiceConfig {
  description?: string;
  /** The program to run (`node`, `python3`, an absolute path, …); `{…}` placeholders allowed. */
  command: string;
  /** Its arguments; placeholders such as `{port}` are filled in for every run. */
  args?: string[];
  /** Working directory (default: the config file's folder). */
  cwd?: string;
  /**
   * Extra environment, with placeholders (see `EnvPlaceholder`). The harness always sets `HOST`,
   * `PORT`, `DATABASE_URL` (with `database`), `AMQP_URL` (with `broker`) and `<DEPENDENCY>_URL` for
   * every HTTP link this service calls; an entry here overrides any of them.
   */
  env?: Record<string, string>;
  /** Readiness: a path on the service (default `/health/ready`) or a full URL template; ready when it answers 2xx. */
  ready?: string;
  /** How long to wait for readiness (default 30 000 ms). */
  readyTimeoutMs?: number;
  /** A command run once before the first start (for example a compile step). */
  build?: CommandConfig;
  /** Its own PostgreSQL database and login role (named after the service). */
  database?: boolean | DatabaseConfig;
  /** It connects to the message broker. */
  broker?: boolean;
  /** The OpenAPI document it serves, if any. */
  openapi?: string;
}

export interface AttachedServiceConfig {
  description?: string;
  /** Base URL of a service that already runs (attach mode): nothing is started for it. */
  url: string;
  openapi?: string;
}

export interface CommandConfig {
  command: string;
  args?: string[];
  /** Default: the config file's folder. */
  cwd?: string;
  env?: Record<string, string>;
}

export interface DatabaseConfig {
  /** Seed run once after the database is created: a SQL file (run as the service's role) or a command (gets `DATABASE_URL`). */
  seed?: { sql: string } | CommandConfig;
}

export type LinkConfig = HttpLinkConfig | MessageLinkConfig | GrpcLinkConfig | GraphqlLinkConfig;

interface LinkBase {
  /** A short unique id such as `L1` (letters, digits, dashes). */
  id: string;
  from: string;
  to: string;
  /** What the link is for, shown in reports. */
  purpose?: string;
}

export interface HttpLinkConfig extends LinkBase {
  kind: 'http';
  /** The provider's OpenAPI document. */
  contract: { openapi: string };
  /** What the caller promises on this link, judged by the black-box chaos oracles. */
  resilience?: LinkResilience;
}

/**
 * A unary gRPC link. The provider gets `GRPC_PORT` (where its gRPC server listens) and the caller
 * `<PROVIDER>_GRPC_ADDRESS` (host:port of the link's Toxiproxy proxy), like `<PROVIDER>_URL` on
 * HTTP links.
 */
export interface GrpcLinkConfig extends LinkBase {
  kind: 'grpc';
  /** The .proto file (in a buf module) and the fully qualified service the link calls. */
  contract: { proto: string; service: string };
  resilience?: LinkResilience;
}

/**
 * A GraphQL-over-HTTP link: the caller POSTs operations to the provider's HTTP server. It has a
 * Toxiproxy proxy of its own, apart from any HTTP link between the same two services, so faults
 * can hit the GraphQL traffic alone; the caller gets `<PROVIDER>_GRAPHQL_URL` (the origin of that
 * proxy; the endpoint's path is the caller's business, e.g. `/api/graphql`).
 */
export interface GraphqlLinkConfig extends LinkBase {
  kind: 'graphql';
  /** The provider's GraphQL SDL file (it must declare a `Query` type). */
  contract: { graphql: string };
  resilience?: LinkResilience;
}

export interface MessageLinkConfig extends LinkBase {
  kind: 'amqp';
  /** The AsyncAPI document and the messages the link carries. */
  contract: { asyncapi: string; messages: string[] };
}

/**
 * The resilience a caller promises on one link; every part optional. The black-box chaos oracles
 * judge it from the wire (chaos/src/oracles/blackbox).
 */
export interface LinkResilience {
  /** Each attempt is abandoned after this long (ms). */
  timeoutMs?: number;
  retry?: RetryPromise;
  breaker?: BreakerPromise;
  bulkhead?: BulkheadPromise;
}

/**
 * Exponential backoff: the wait before retry n (1 = the first) is at most
 * `min(maxDelayMs, initialDelayMs * 2^(n-1))`, measured from the moment the failed attempt ended
 * (its answer, or the caller giving up on it) to the next attempt.
 */
export interface RetryPromise {
  /** Total attempts of one call, the first included (1 = no retries). */
  attempts: number;
  /** Ceiling of the wait before the first retry (ms); it doubles for every further retry. */
  initialDelayMs: number;
  /** Cap on the wait ceiling (ms). */
  maxDelayMs: number;
  /**
   * true (the default): full jitter, each wait drawn from [0, ceiling], so waits at one retry
   * differ from call to call. false: each wait is exactly its ceiling. A backoff whose jitter
   * goes above the nominal delay (e.g. ±50 %) is described by its highest wait.
   */
  jitter?: boolean;
}

/** A consecutive-failures circuit breaker in front of the dependency. */
export interface BreakerPromise {
  /** Consecutive failed attempts (5xx, no answer, or abandoned) that open it. */
  threshold: number;
  /** How long it stays open before letting one probe through (ms). */
  halfOpenAfterMs: number;
  /**
   * While open, the caller answers from a fallback (e.g. a page without the dependency's part):
   * a fast 2xx counts as the breaker's answer. Default false: it must refuse (not 2xx).
   */
  fallback?: boolean;
}

/** A cap on the calls in flight to the dependency; the excess is refused at once. */
export interface BulkheadPromise {
  limit: number;
}

export type { BrokerKind };

export interface InfrastructureConfig {
  /**
   * The broker for message links and services with `broker: true`: RabbitMQ (the default) or Kafka.
   * HARNESS_BROKER=rabbitmq|kafka in the environment wins over it.
   */
  broker?: { kind: BrokerKind };
}

export interface ContractsConfig {
  /**
   * The folder holding the specs as `openapi/*.yaml` and `asyncapi/*.yaml` (default: the folder
   * above the first link's spec); pacts are checked against the specs found there.
   */
  specs?: string;
  /** Where pact files are written and read (default: `pacts` beside the config); consumer tests get it as `PACT_DIR`. */
  pacts?: string;
  /** The consumers' own Pact tests, in whatever language: commands that write `<consumer>-<provider>.json` into `PACT_DIR`. */
  consumerTests?: Array<CommandConfig & { name: string }>;
  /** How each provider is verified, by URL, against its running service (any language). */
  providers?: Record<string, ProviderVerificationConfig>;
}

/** Pact provider verification of one service over HTTP, Pact's standard way. */
export interface ProviderVerificationConfig {
  /** Path of its provider-state change endpoint: POST `{ state, params, action: "setup" | "teardown" }`. */
  states?: string;
  /**
   * Path of its message endpoint (message links it publishes): POST `{ description }` answers the
   * message's JSON content, with its metadata as base64 JSON in a `Pact-Message-Metadata` header.
   */
  messages?: string;
  /** Extra env for the service while the contract stage runs it (e.g. a switch that turns these endpoints on). */
  env?: Record<string, string>;
}

export interface ChaosConfig {
  /**
   * Which runner judges the scenarios. `black-box` (default): scenarios in the system format
   * (`defineScenario`), judged from the wire by the black-box oracles and the invariants below; works
   * for a system in any language. `kit`: for services built on the harness kit (the reference
   * system): scenarios in the kit format (`Scenario` of @harness/chaos), judged by the black-box oracles
   * and also from the kit's own evidence (`/metrics`, `/admin/resilience`).
   */
  runner?: 'black-box' | 'kit';
  /**
   * The service the kit runner's workload drives. A kit-run chaos system starts it and every
   * service it reaches over links (a client page nobody calls, such as a storefront, is left out).
   */
  entry?: string;
  /**
   * The kit runner's knowledge of the system's business: a module whose default export is
   * `defineKitDomain({ ... })` from `@harness/chaos` (workload client, canary order, invariants,
   * events exchange, dead-letter queues). Required with `runner: 'kit'`.
   */
  kit?: string;
  /**
   * Env per service for the systems chaos starts, on top of the service's own: the same mechanisms
   * on a shorter clock (breaker delays, saga deadlines), so a scenario sees them act within seconds.
   */
  serviceEnv?: Record<string, Record<string, string>>;
  /** Globs of scenario files. */
  scenarios?: string[];
  /** Business invariants checked after every scenario. */
  invariants?: InvariantConfig[];
}

export type InvariantConfig =
  | {
      name: string;
      /** The service whose database the query runs against. */
      database: string;
      /** A query that returns no rows when the invariant holds, or one row with one value equal to `expect`. */
      sql: string;
      expect?: string | number | boolean;
    }
  | {
      name: string;
      /** A TypeScript check: resolves to a list of violations (empty when it holds). */
      check: (context: InvariantContext) => Promise<string[]>;
    };

export interface InvariantContext {
  /** Runs a query against a service's database and returns its rows. */
  query(service: string, sql: string, params?: unknown[]): Promise<Array<Record<string, unknown>>>;
  /** A service's base URL. */
  url(service: string): string;
}

export interface LoadConfig {
  /** Globs of k6 scripts. */
  scripts?: string[];
  /** Named profiles: a script and its k6 options. */
  profiles?: Record<string, { script: string; vus?: number; duration?: string; thresholds?: Record<string, string[]> }>;
  /** The URL the scripts drive (a URL, or a service name for its address in the run). */
  target?: string;
}

export interface E2eConfig {
  /** The Playwright config file. */
  playwright: string;
  /** The base URL (a URL, or a service name). */
  baseUrl?: string;
}

/**
 * `harness fuzz`: Schemathesis against the OpenAPI spec of every service that has one (its
 * `openapi`), with every check and every phase.
 */
export interface FuzzConfig {
  /** Test cases per operation and phase (default 20). */
  maxExamples?: number;
  /**
   * Statuses a well-formed request may get besides 2xx, 3xx, 401, 403, 404, 409 and 429: the
   * business refusals of a valid request (e.g. 402 payment declined, 422).
   */
  validRequestStatuses?: number[];
  /** Per service: headers sent with every request (auth), `{secret:NAME}` allowed. */
  headers?: Record<string, Record<string, string>>;
  /** Services left out (e.g. a web page with a spec for its own API only). */
  skip?: string[];
  /**
   * More statuses a valid request may get on one operation (by operationId; on one service, or
   * on every service with that operationId), with the reason, which the generated Schemathesis
   * config carries as a comment.
   */
  operations?: Array<{ service?: string; operationId: string; validRequestStatuses: number[]; reason: string }>;
}

/**
 * Placeholders in `command`, `args`, `env` and `ready`:
 * `{port}`, `{host}`, `{url}` (this service), `{databaseUrl}`, `{brokerUrl}`,
 * `{url:NAME}` (how this service reaches NAME: through the link's proxy),
 * `{serviceUrl:NAME}` (where NAME itself listens), `{secret:NAME}`, `{configDir}`, `{runDir}`;
 * `{{` and `}}` are literal braces.
 */
export type EnvPlaceholder = string;

/**
 * Requests sent straight to a service (not through a proxy). In `path`, `body` strings and header
 * values, `{i}` is the request's number and `{uuid}` a fresh UUID.
 */
export interface RequestStream {
  id: string;
  service: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  headers?: Readonly<Record<string, string>>;
  /** Sends a fresh Idempotency-Key with every request. */
  idempotencyKey?: boolean;
  count: number;
  /** Requests in flight at once (default 1: a serial stream). */
  concurrency?: number;
  /** Pause between two requests of one worker. */
  intervalMs?: number;
  startMs?: number;
  /** The workload gives up on a request after this long (default 10 000 ms). */
  timeoutMs?: number;
}

/**
 * `harness explore`: every single fault the config's topology allows (per HTTP link: latency past
 * the caller's timeout, refused, reset, black hole, starved bandwidth, 503 from the tap, answers
 * cut mid-body; per database and broker connection: refused, slow; per service: killed), each run
 * once under this workload and judged by the link's black-box oracles, the invariants and recovery.
 */
export interface ExploreConfig {
  /**
   * The functional workload every run drives (a scenario's streams, e.g. checkouts). Required by
   * the black-box runner; the kit runner takes it from its kit domain's `exploreWorkload`.
   */
  workload?: RequestStream[];
  /** How long each fault stays in force (default 5000 ms, from 500 ms into the workload). */
  faultMs?: number;
  /** Bound within which the invariants must hold after each run (default 20 000 ms). */
  settleWithinMs?: number;
  /** Response rule: no answer of the workload's entry may take longer than this (default: not judged). */
  requestBudgetMs?: number;
  /** Response rule: every 5xx the workload gets carries Retry-After (default true). */
  serverErrorsCarryRetryAfter?: boolean;
  /** Also run pairs of single faults after the singles, pruned by dynamic reduction (default false; `--pairs`). */
  pairs?: boolean;
  /** Env per service for every exploration run, on top of `chaos.serviceEnv` (e.g. shorter half-open delays). */
  serviceEnv?: Record<string, Record<string, string>>;
  /** What `harness explore --ci` (the CI stage) runs: rows, classes or cells, pairs or not, a run cap. */
  ci?: { only: string[]; pairs?: boolean; maxRuns?: number };
}

/**
 * `harness mutate`: each mutant turns one resilience mechanism off or wrong while the system runs,
 * through env overrides per service (an existing setting such as a breaker threshold, or a switch
 * honoured only when the harness starts the process). The chaos suite runs once per mutant; a
 * mutant it does not kill (every scenario still passes) is a gap in the suite.
 */
export interface MutateConfig {
  mutants: MutantConfig[];
}

export interface MutantConfig {
  /** Kebab-case, unique: `breaker-off`, `retries-off`. */
  name: string;
  /** What it breaks, in a phrase. */
  description?: string;
  /** Env per service while it runs, on top of (and winning over) each scenario's own. */
  env: Record<string, Record<string, string>>;
  /** The scenarios to run against it (default: those `harness chaos` runs). */
  scenarios?: string[];
}
