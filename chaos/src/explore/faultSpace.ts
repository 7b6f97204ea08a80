import { isBrokerProxy, reachableFrom, type InfraDescription, type ResolvedConfig } from '@harness/runtime';
import type { BlackBoxOracleName } from '../oracles/blackbox/index.ts';
import type { LinkResilience } from '../oracles/blackbox/LinkResilience.ts';
import type { MessageFault } from '../scenario/Scenario.ts';
import type { SystemFault, SystemTarget } from '../systems/SystemScenario.ts';

/** A fault class: what kind of trouble, on what kind of target. */
export type FaultClass =
  | 'latency'
  | 'refused'
  | 'reset'
  | 'black-hole'
  | 'slow-bandwidth'
  | 'status-503'
  | 'answer-cut'
  | 'db-refused'
  | 'db-slow'
  | 'broker-refused'
  | 'duplicate'
  | 'killed'
  | 'paused';

/** Every class, in the matrix's column order. */
export const FAULT_CLASSES: readonly FaultClass[] = [
  'latency',
  'refused',
  'reset',
  'black-hole',
  'slow-bandwidth',
  'status-503',
  'answer-cut',
  'db-refused',
  'db-slow',
  'broker-refused',
  'duplicate',
  'killed',
  'paused',
];

/** How long a fault stays in force when the config's explore.faultMs does not say. */
export const DEFAULT_FAULT_MS = 5_000;

/** One cell of the fault space: a fault class on one target, the fault that realises it, the oracles that judge it. */
export interface FaultCell {
  /** `P1 latency`, `orders db-refused`, `shipping killed`. */
  id: string;
  /** The matrix row: a link id or a service name. */
  row: string;
  fault: FaultClass;
  /** The fault, without its id and times (the run sets them). */
  spec: DistributiveOmit<SystemFault | MessageFault, 'id' | 'startMs' | 'stopMs'>;
  /** The black-box oracles of the link that apply to this class (empty: invariants and recovery only). */
  oracles: BlackBoxOracleName[];
  /** The link whose promise the oracles judge, for link faults. */
  link?: string;
  /**
   * The fewest retries the retry oracle asks to see. These faults fail every attempt, so when the
   * link also promises a breaker that counts attempts, the breaker opens after its threshold and
   * stops the retries: how many come first depends on how many calls were in flight together
   * (threshold 5, 3 attempts: 3 one call at a time, fewer when concurrent). One is what such a
   * cell can promise, and retries switched off still show none. Unset: the oracle's default.
   */
  minRetries?: number;
  /** A message link's publisher and consumer. */
  ends?: readonly [string, string];
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * The single faults a config allows: for every HTTP link between two started services, latency
 * twice the caller's timeout, connections refused, reset, a black hole, starved bandwidth, a 503
 * from the tap and the answer cut mid-body (each judged by the oracles of the promise it tests);
 * for every service's database connection, refused and slow; for every broker connection,
 * refused; every started service killed, and paused. Message links are exercised through their broker
 * connections. Rows follow the config's order.
 */
export function faultSpace(
  config: ResolvedConfig,
  options: {
    /** The promise per link (default: the config's `resilience`; the kit runner passes what its callers report). */
    promises?: Readonly<Record<string, LinkResilience>>;
    /** The services the run starts (default: every service the config starts). */
    services?: readonly string[];
    /** Message-level faults on message links (default: with the kit runner, which can publish them). */
    messageFaults?: boolean;
  } = {},
): FaultCell[] {
  const cells: FaultCell[] = [];
  const promises = options.promises ?? config.resilience;
  const faultMs = config.explore?.faultMs ?? DEFAULT_FAULT_MS;
  // The kit runner starts its entry service and what that reaches; the black-box runner every service it can.
  const started = new Set(
    options.services ??
      (config.chaos.runner === 'kit' && config.chaos.entry !== undefined
        ? reachableFrom(config.topology, config.chaos.entry)
        : config.topology.services.filter((service) => !service.url).map((service) => service.name)),
  );
  for (const link of config.topology.links) {
    if (link.kind !== 'http' || !started.has(link.from) || !started.has(link.to)) continue;
    const promise = promises[link.id] ?? {};
    const target: SystemTarget = { link: link.id };
    // A retry promise of one attempt promises no retry.
    const has = (name: BlackBoxOracleName): boolean =>
      name === 'timeout'
        ? promise.timeoutMs !== undefined
        : name === 'retry'
          ? (promise.retry?.attempts ?? 1) > 1
          : promise[name] !== undefined;
    const judged = (...names: BlackBoxOracleName[]): BlackBoxOracleName[] => names.filter(has);
    const latencyMs = Math.max(200, (promise.timeoutMs ?? 1_000) * 2);
    // A breaker opens after several timed-out calls: with a timeout of half the fault's time or
    // more, too few can time out while the fault is in force for the breaker to be judged.
    const breakerInTime = (names: BlackBoxOracleName[]): BlackBoxOracleName[] =>
      (promise.timeoutMs ?? 1_000) * 2 <= faultMs ? names : names.filter((name) => name !== 'breaker');
    const minRetries = promise.breaker === undefined ? {} : { minRetries: 1 };
    const add = (fault: FaultClass, spec: FaultCell['spec'], oracles: BlackBoxOracleName[]): void =>
      void cells.push({
        id: `${link.id} ${fault}`,
        row: link.id,
        fault,
        spec,
        oracles,
        link: link.id,
        ...(oracles.includes('retry') ? minRetries : {}),
      });
    add(
      'latency',
      { kind: 'toxic', target, toxic: { type: 'latency', latencyMs }, direction: 'downstream' },
      breakerInTime(judged('timeout', 'breaker')),
    );
    add('refused', { kind: 'proxy-down', target }, judged('breaker'));
    add(
      'reset',
      { kind: 'toxic', target, toxic: { type: 'reset_peer', timeoutMs: 0 }, direction: 'downstream' },
      judged('retry'),
    );
    add(
      'black-hole',
      { kind: 'toxic', target, toxic: { type: 'timeout', timeoutMs: 0 }, direction: 'downstream' },
      judged('timeout'),
    );
    add(
      'slow-bandwidth',
      { kind: 'toxic', target, toxic: { type: 'bandwidth', rateKBps: 1 }, direction: 'downstream' },
      judged('timeout'),
    );
    add('status-503', { kind: 'request', target, action: { kind: 'status', status: 503 } }, judged('breaker', 'retry'));
    add('answer-cut', { kind: 'request', target, action: { kind: 'drop-mid-body' } }, judged('retry'));
  }
  // Each message link: events it already carried published again (same message id, from the
  // producer's outbox), which its consumer must absorb once; judged by the invariants and the
  // consumers' dedupe counter.
  if (options.messageFaults ?? config.chaos.runner === 'kit')
    for (const link of config.topology.links) {
      if (link.kind !== 'amqp' || !started.has(link.from) || !started.has(link.to)) continue;
      const eventType = link.contract.messages[0];
      if (eventType === undefined) continue;
      cells.push({
        id: `${link.id} duplicate`,
        row: link.id,
        fault: 'duplicate',
        spec: { kind: 'message', action: 'duplicate', eventType, count: 3, producer: link.from },
        oracles: [],
        link: link.id,
        ends: [link.from, link.to],
      });
    }
  for (const service of config.topology.services) {
    if (!started.has(service.name)) continue;
    if (service.database) {
      const target: SystemTarget = { database: service.name };
      cells.push({
        id: `${service.name} db-refused`,
        row: service.name,
        fault: 'db-refused',
        spec: { kind: 'proxy-down', target },
        oracles: [],
      });
      cells.push({
        id: `${service.name} db-slow`,
        row: service.name,
        fault: 'db-slow',
        spec: { kind: 'toxic', target, toxic: { type: 'latency', latencyMs: 300 }, direction: 'both' },
        oracles: [],
      });
    }
    if (service.broker)
      cells.push({
        id: `${service.name} broker-refused`,
        row: service.name,
        fault: 'broker-refused',
        spec: { kind: 'proxy-down', target: { broker: service.name } },
        oracles: [],
      });
    cells.push({
      id: `${service.name} killed`,
      row: service.name,
      fault: 'killed',
      spec: { kind: 'process', service: service.name, action: 'kill' },
      oracles: [],
    });
    // Stopped (SIGSTOP) and continued when lifted: it holds its connections and answers nothing,
    // so its callers meet a timeout, not a refusal, and it resumes with the work it had in hand.
    cells.push({
      id: `${service.name} paused`,
      row: service.name,
      fault: 'paused',
      spec: { kind: 'process', service: service.name, action: 'pause' },
      oracles: [],
    });
  }
  return cells;
}

/** Cells chosen by `--only` (row ids, fault classes or cell ids) and `--max-runs`, in order. */
export function chooseCells(cells: readonly FaultCell[], only: readonly string[], maxRuns?: number): FaultCell[] {
  const wanted =
    only.length === 0
      ? cells
      : cells.filter((cell) => only.some((w) => w === cell.row || w === cell.fault || w === cell.id));
  return maxRuns === undefined ? [...wanted] : wanted.slice(0, maxRuns);
}

/**
 * The Toxiproxy proxies a cell's fault acts on: its link's, its service's database or broker
 * connection; for a process fault, every proxy into or out of the service.
 */
export function pathsOf(cell: FaultCell, infra: InfraDescription): string[] {
  const { spec } = cell;
  if (spec.kind === 'message') {
    // A message link's path: the broker connections of its publisher and its consumer.
    const ends: readonly string[] = cell.ends ?? [];
    return infra.proxies
      .filter((proxy) => isBrokerProxy(proxy) && ends.includes(proxy.from))
      .map((proxy) => proxy.name);
  }
  if (spec.kind === 'process')
    return infra.proxies
      .filter((proxy) => proxy.from === spec.service || (proxy.kind === 'link' && proxy.to === spec.service))
      .map((proxy) => proxy.name);
  const target = spec.target;
  return infra.proxies
    .filter((proxy) =>
      'link' in target
        ? proxy.kind === 'link' && proxy.link === target.link
        : 'database' in target
          ? proxy.kind === 'postgres' && proxy.from === target.database
          : isBrokerProxy(proxy) && proxy.from === target.broker,
    )
    .map((proxy) => proxy.name);
}

/** Two single faults injected together over the same window. */
export interface FaultPair {
  id: string;
  cells: readonly [FaultCell, FaultCell];
}

/**
 * Pairs worth running, after Filibuster's dynamic reduction: both faults on different rows, each
 * survived alone, and each alone left traffic on a path the other acts on (when fault A stops
 * every call that would reach B's path, A + B is only A again). `touched` is what each single run
 * saw carry bytes while its fault was in force; a cell without that record is not paired.
 */
export function reducedPairs(
  singles: readonly FaultCell[],
  touched: ReadonlyMap<string, ReadonlySet<string>>,
  survived: ReadonlySet<string>,
  infra: InfraDescription,
): { pairs: FaultPair[]; pruned: number } {
  const pairs: FaultPair[] = [];
  let pruned = 0;
  for (const [i, a] of singles.entries())
    for (const b of singles.slice(i + 1)) {
      if (a.row === b.row || !survived.has(a.id) || !survived.has(b.id)) continue;
      const reaches = (from: FaultCell, to: FaultCell): boolean => {
        const seen = touched.get(from.id);
        return seen !== undefined && pathsOf(to, infra).some((proxy) => seen.has(proxy));
      };
      if (reaches(a, b) && reaches(b, a)) pairs.push({ id: `${a.id} + ${b.id}`, cells: [a, b] });
      else pruned++;
    }
  return { pairs, pruned };
}
