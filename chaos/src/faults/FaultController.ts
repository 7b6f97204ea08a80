import type { FaultTimes } from '../expectations/windows.ts';
import type { Queryable } from '../invariants/Invariant.ts';
import type { Fault } from '../scenario/Scenario.ts';
import type { ChaosSystem } from '../system/ChaosSystem.ts';
import { chaosServices, kitDomain } from '../system/kitSystem.ts';
import { messageTargetOf } from '../system/brokerControl.ts';
import { publishDuplicates, publishPoison, type InjectedPoison } from './messageFaults.ts';
import { describeTarget, proxyOf } from './proxyOf.ts';
import { describeRequestFault } from './requestFaults.ts';
import { addToxics, clearChaosFromProxies, cycleConnections, removeToxic, setProxyEnabled } from './toxicDriver.ts';

/** What happened to one fault, for the journal. */
export interface FaultRecord {
  id: string;
  description: string;
  injectedAtMs?: number;
  liftedAtMs?: number;
  error?: string;
  /** What the fault did, e.g. the duplicated event ids. */
  notes: string[];
}

/** One step of a rollback, for the journal. */
export interface RollbackRecord {
  step: string;
  ok: boolean;
  error?: string;
}

export interface FaultControllerOptions {
  system: ChaosSystem;
  scenario: string;
  /** The database of the service whose kit outbox publishes the events. */
  outboxDb: Queryable;
  /** A service's database: the outbox of a duplicate fault's `producer`. */
  dbOf?: (service: string) => Queryable;
  /** Experiment start, ISO (duplicates are taken from events published since). */
  sinceIso: string;
  runTag: string;
  /** Where injected poison messages are recorded (run-wide, for the dead-letter accounting). */
  poisons: InjectedPoison[];
  /** Seeds the request-level faults' share (the run's --seed). */
  seed?: number;
  /** Runs right before a fault is injected (evidence such as "orders in flight"). */
  beforeInject?: (fault: Fault) => Promise<void>;
  log: (line: string) => void;
}

/**
 * Injects and lifts faults, and keeps, for every fault in force, the action that undoes it.
 * rollback() undoes whatever is still in force (in reverse order), then sweeps the system back to
 * its baseline regardless of the bookkeeping: no chaos toxic, every proxy enabled, every service
 * resumed and running, the broker started. It is safe to call more than once.
 */
export class FaultController {
  readonly records = new Map<string, FaultRecord>();
  readonly #options: FaultControllerOptions;
  readonly #undo = new Map<string, () => Promise<void>>();
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(options: FaultControllerOptions) {
    this.#options = options;
  }

  times(): Map<string, FaultTimes> {
    const times = new Map<string, FaultTimes>();
    for (const [id, record] of this.records) {
      const entry: FaultTimes = {};
      if (record.injectedAtMs !== undefined) entry.injectedAtMs = record.injectedAtMs;
      if (record.liftedAtMs !== undefined) entry.liftedAtMs = record.liftedAtMs;
      times.set(id, entry);
    }
    return times;
  }

  async inject(fault: Fault): Promise<void> {
    const { system, log } = this.#options;
    const record: FaultRecord = { id: fault.id, description: describeFault(fault), notes: [] };
    this.records.set(fault.id, record);
    try {
      await this.#options.beforeInject?.(fault);
      record.injectedAtMs = Date.now();
      log(`  inject ${fault.id}: ${record.description}`);
      switch (fault.kind) {
        case 'toxic': {
          const proxy = proxyOf(system.infra, fault.target).name;
          const names = await addToxics(
            system.toxiproxy,
            proxy,
            fault.id,
            fault.toxic,
            fault.direction,
            fault.toxicity ?? 1,
          );
          let cycler: NodeJS.Timeout | undefined;
          if (fault.cycleConnectionsEveryMs !== undefined) {
            cycler = setInterval(
              () => void cycleConnections(system.toxiproxy, proxy).catch(() => undefined),
              fault.cycleConnectionsEveryMs,
            );
            this.#timers.add(cycler);
          }
          this.#undo.set(fault.id, async () => {
            if (cycler) clearInterval(cycler);
            for (const name of names) await removeToxic(system.toxiproxy, proxy, name);
            if (fault.closeConnectionsOnStop) await cycleConnections(system.toxiproxy, proxy);
          });
          break;
        }
        case 'request': {
          // The tap in front of the link (behind Toxiproxy when attached: no front tap there).
          const tap = system.frontTaps.get(fault.target.link) ?? system.taps.get(fault.target.link);
          if (!tap) throw new Error(`no tap on link ${fault.target.link}`);
          tap.injectFault(fault.id, fault, this.#options.seed ?? 0);
          this.#undo.set(fault.id, async () => tap.liftFault(fault.id));
          break;
        }
        case 'proxy-down': {
          const proxy = proxyOf(system.infra, fault.target).name;
          await setProxyEnabled(system.toxiproxy, proxy, false);
          this.#undo.set(fault.id, () => setProxyEnabled(system.toxiproxy, proxy, true));
          break;
        }
        case 'process':
          await this.#processFault(fault);
          break;
        case 'message':
          await this.#messageFault(fault, record);
          break;
      }
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error);
      log(`  inject ${fault.id} failed: ${record.error}`);
    }
  }

  async lift(fault: Fault): Promise<void> {
    const undo = this.#undo.get(fault.id);
    const record = this.records.get(fault.id);
    if (!undo || !record) return;
    this.#undo.delete(fault.id);
    try {
      await undo();
      record.liftedAtMs = Date.now();
      this.#options.log(`  lift ${fault.id}`);
    } catch (error) {
      record.error = `lifting failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /**
   * Schedules every fault relative to t0 (those in `injected` are in force already: only their
   * lift is scheduled); resolves when all scheduled injections and lifts ran.
   */
  schedule(
    faults: readonly Fault[],
    t0: number,
    signal: AbortSignal,
    injected: ReadonlySet<string> = new Set(),
  ): Promise<void> {
    const at = (ms: number, action: () => Promise<void>): Promise<void> =>
      new Promise((resolve) => {
        if (signal.aborted) return resolve();
        const timer = setTimeout(
          () => {
            this.#timers.delete(timer);
            void action().finally(resolve);
          },
          Math.max(0, t0 + ms - Date.now()),
        );
        this.#timers.add(timer);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    return Promise.all(
      faults.map(async (fault) => {
        if (!injected.has(fault.id)) await at(fault.startMs, () => this.inject(fault));
        if (fault.stopMs !== undefined) await at(fault.stopMs, () => this.lift(fault));
      }),
    ).then(() => undefined);
  }

  async rollback(): Promise<RollbackRecord[]> {
    const { system } = this.#options;
    const steps: RollbackRecord[] = [];
    const attempt = async (step: string, action: () => Promise<unknown>): Promise<void> => {
      try {
        const result = await action();
        steps.push({
          step: Array.isArray(result) && result.length > 0 ? `${step}: ${result.join('; ')}` : step,
          ok: true,
        });
      } catch (error) {
        steps.push({ step, ok: false, error: error instanceof Error ? error.message : String(error) });
      }
    };
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const [id, undo] of [...this.#undo.entries()].reverse()) {
      this.#undo.delete(id);
      await attempt(`undo ${id}`, async () => {
        await undo();
        const record = this.records.get(id);
        if (record && record.liftedAtMs === undefined) record.liftedAtMs = Date.now();
      });
    }
    await attempt('clear chaos toxics, enable proxies', () => clearChaosFromProxies(system.toxiproxy));
    for (const tap of [...system.frontTaps.values(), ...system.taps.values()]) tap.liftAllFaults();
    if (system.broker.stopped) await attempt('start the broker', () => system.broker.startApp());
    for (const service of chaosServices()) {
      if (system.signal(service, 'SIGCONT')) continue;
      if (!system.isRunning(service) && system.canRestart)
        await attempt(`start ${service}`, () => system.start(service));
    }
    return steps;
  }

  async #processFault(fault: Extract<Fault, { kind: 'process' }>): Promise<void> {
    const { system } = this.#options;
    const { service } = fault;
    if (fault.action === 'pause') {
      if (!system.signal(service, 'SIGSTOP')) throw new Error(`${service} is not running`);
      this.#undo.set(fault.id, async () => void system.signal(service, 'SIGCONT'));
      return;
    }
    if (!system.canRestart) throw new Error(`${fault.action} needs a system the runner started`);
    if (fault.action === 'kill') {
      if (!system.signal(service, 'SIGKILL')) throw new Error(`${service} is not running`);
      this.#undo.set(fault.id, () => system.start(service));
      return;
    }
    await system.restart(service);
  }

  async #messageFault(fault: Extract<Fault, { kind: 'message' }>, record: FaultRecord): Promise<void> {
    const { system, scenario } = this.#options;
    switch (fault.action) {
      case 'poison': {
        const injected = await publishPoison(
          messageTargetOf(system.infra),
          kitDomain().eventsExchange,
          scenario,
          fault.messages,
          this.#options.runTag,
        );
        this.#options.poisons.push(...injected);
        record.notes.push(...injected.map((poison) => `poison ${poison.name} → ${poison.routingKey}`));
        return;
      }
      case 'duplicate': {
        const { dbOf, outboxDb } = this.#options;
        const ids = await publishDuplicates(
          messageTargetOf(system.infra),
          fault.producer !== undefined && dbOf ? dbOf(fault.producer) : outboxDb,
          fault.eventType,
          fault.count,
          this.#options.sinceIso,
        );
        if (ids.length === 0) throw new Error(`no published ${fault.eventType} event to duplicate`);
        record.notes.push(...ids.map((id) => `duplicated ${fault.eventType} ${id}`));
        return;
      }
      case 'broker-restart':
        await system.broker.stopApp();
        this.#undo.set(fault.id, () => system.broker.startApp());
        return;
    }
  }
}

function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case 'toxic': {
      const attributes = Object.entries(fault.toxic)
        .filter(([key]) => key !== 'type')
        .map(([key, value]) => `${key}=${String(value)}`)
        .join(' ');
      const toxicity = fault.toxicity === undefined || fault.toxicity === 1 ? '' : `, toxicity ${fault.toxicity}`;
      return `${fault.toxic.type} ${attributes} on ${describeTarget(fault.target)} (${fault.direction}${toxicity})`;
    }
    case 'proxy-down':
      return `${describeTarget(fault.target)} down (proxy disabled)`;
    case 'request':
      return `${describeRequestFault(fault)} on link ${fault.target.link} (the tap answers)`;
    case 'process':
      return `${fault.action} ${fault.service}`;
    case 'message':
      if (fault.action === 'poison') return `${fault.messages.length} poison message(s) to the order-events exchange`;
      if (fault.action === 'duplicate') return `re-deliver ${fault.count} published ${fault.eventType} event(s)`;
      return 'broker restart (stop_app, start_app)';
  }
}
