import { signalGroup } from '@harness/runtime';
import { check, type OracleCheck, type OracleResult } from '../oracles/OracleResult.ts';
import { evaluateBlackBox } from '../oracles/blackbox/index.ts';
import type { CallerAnswer } from '../oracles/blackbox/CallerAnswer.ts';
import { addToxics, clearChaosFromProxies, removeToxic, setProxyEnabled } from '../faults/toxicDriver.ts';
import { describeRequestFault } from '../faults/requestFaults.ts';
import { parsePrometheusText } from '../observe/prometheusText.ts';
import { runRequestWorkload, type RequestRecord } from './requestWorkload.ts';
import { checkInvariants, type InvariantOutcome } from './systemInvariants.ts';
import type { SystemUnderChaos } from './SystemUnderChaos.ts';
import type { SystemFault, SystemScenario, SystemWindow } from './SystemScenario.ts';

/** What one scenario run found, for the journal and the JUnit report. */
export interface SystemScenarioOutcome {
  id: string;
  title: string;
  passed: boolean;
  durationMs: number;
  /** Steady state, vacuity, responses, recovery. */
  checks: OracleCheck[];
  oracles: OracleResult[];
  invariants: InvariantOutcome[];
  faults: Array<{
    id: string;
    injectedAtMs?: number;
    liftingAtMs?: number;
    liftedAtMs?: number;
    error?: string;
    bytesBefore?: number;
  }>;
  requests: { sent: number; byStatus: Record<string, number> };
  error?: string;
}

const DEFAULT_TOLERANCE_MS = 150;

/**
 * Runs one scenario on a system under chaos: steady state, faults on their schedule while the
 * workload runs, every fault lifted, the invariants polled until they hold (or the settle bound
 * passes), then the black-box oracles, response expectations and recovery judged. Faults are
 * always rolled back, also when something fails.
 */
export async function runSystemScenario(
  system: SystemUnderChaos,
  scenario: SystemScenario,
  log: (line: string) => void,
): Promise<SystemScenarioOutcome> {
  const started = Date.now();
  const checks: OracleCheck[] = [];
  const faults = new Map<
    string,
    {
      id: string;
      injectedAtMs?: number;
      liftingAtMs?: number;
      liftedAtMs?: number;
      error?: string;
      bytesBefore?: number;
    }
  >();
  const undo = new Map<string, () => Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  let records: RequestRecord[] = [];
  const outcome = (extra: Partial<SystemScenarioOutcome>): SystemScenarioOutcome => {
    const all = [...checks, ...(extra.oracles ?? []).flatMap((oracle) => oracle.checks)];
    const invariantsHold = (extra.invariants ?? []).every((invariant) => invariant.holds);
    const byStatus: Record<string, number> = {};
    for (const record of records) byStatus[String(record.status)] = (byStatus[String(record.status)] ?? 0) + 1;
    return {
      id: scenario.id,
      title: scenario.title,
      passed: extra.error === undefined && all.every((one) => one.passed) && invariantsHold,
      durationMs: Date.now() - started,
      checks,
      oracles: [],
      invariants: [],
      faults: [...faults.values()],
      requests: { sent: records.length, byStatus },
      ...extra,
    };
  };

  const lift = async (fault: SystemFault): Promise<void> => {
    const action = undo.get(fault.id);
    if (!action) return;
    undo.delete(fault.id);
    const record = faults.get(fault.id);
    if (record) record.liftingAtMs = Date.now();
    try {
      await action();
    } catch (error) {
      if (record) record.error = `lifting failed: ${(error as Error).message}`;
    }
    if (record) record.liftedAtMs = Date.now();
    log(`  lift ${fault.id}`);
  };

  try {
    await applyServiceEnv(system, scenario, log);
    const ready = await allReady(system, 15_000);
    checks.push(check('steady-state', ready.ok, ready.detail));
    if (!ready.ok) return outcome({});
    for (const tap of system.taps.values()) tap.clear();

    const t0 = Date.now() + 100;
    for (const fault of scenario.faults) {
      const timer = setTimeout(
        () => {
          timers.delete(timer);
          void inject(system, fault, faults, undo, log);
        },
        Math.max(0, t0 + fault.startMs - Date.now()),
      );
      timers.add(timer);
      if (fault.stopMs !== undefined) {
        const stop = setTimeout(
          () => {
            timers.delete(stop);
            void lift(fault);
          },
          Math.max(0, t0 + fault.stopMs - Date.now()),
        );
        timers.add(stop);
      }
    }
    const deadline = setTimeout(() => undefined, scenario.timeLimitMs);
    records = await runRequestWorkload(scenario.workload, (service) => system.url(service), t0);
    clearTimeout(deadline);
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    for (const fault of scenario.faults) await lift(fault);
    const workloadEnd = Date.now();

    const invariants = await settle(system, scenario, workloadEnd);
    const oracles = judgeOracles(system, scenario, records, faults);
    checks.push(...vacuity(system, scenario, faults));
    checks.push(...(await connectionVacuity(system, scenario, records, faults)));
    checks.push(...responseChecks(scenario, records, faults, workloadEnd));
    const recovered = await allReady(system, scenario.recovery.withinMs);
    checks.push(check('recovery', recovered.ok, recovered.detail));
    return outcome({ oracles, invariants });
  } catch (error) {
    return outcome({ error: error instanceof Error ? error.message : String(error) });
  } finally {
    for (const timer of timers) clearTimeout(timer);
    for (const fault of scenario.faults) await lift(fault);
    await clearChaosFromProxies(system.toxiproxy).catch(() => []);
    for (const tap of system.taps.values()) tap.liftAllFaults();
  }
}

/** Services whose scenario env differs from the override they run with start again with it (or without one). */
async function applyServiceEnv(
  system: SystemUnderChaos,
  scenario: SystemScenario,
  log: (line: string) => void,
): Promise<void> {
  for (const service of system.running.services) {
    const wanted = scenario.serviceEnv?.[service.name] ?? {};
    const current = system.running.overrideOf(service.name);
    const same =
      Object.keys({ ...wanted, ...current }).every((name) => wanted[name] === current[name]) && service.process.running;
    if (same) continue;
    const shown = Object.entries(wanted).map(([name, value]) => `${name}=${value}`);
    log(`  restart ${service.name} with ${shown.join(' ') || 'its config env'}`);
    await system.running.relaunch(service.name, wanted);
  }
}

async function inject(
  system: SystemUnderChaos,
  fault: SystemFault,
  faults: Map<string, { id: string; injectedAtMs?: number; error?: string; bytesBefore?: number }>,
  undo: Map<string, () => Promise<void>>,
  log: (line: string) => void,
): Promise<void> {
  const record: { id: string; injectedAtMs?: number; error?: string; bytesBefore?: number } = { id: fault.id };
  faults.set(fault.id, record);
  try {
    if (fault.kind !== 'process' && !('link' in fault.target))
      record.bytesBefore = await proxyBytes(system, system.proxyOf(fault.target).name);
    record.injectedAtMs = Date.now();
    if (fault.kind === 'toxic') {
      const proxy = system.proxyOf(fault.target).name;
      const names = await addToxics(
        system.toxiproxy,
        proxy,
        fault.id,
        fault.toxic,
        fault.direction ?? 'downstream',
        fault.toxicity ?? 1,
      );
      undo.set(fault.id, async () => {
        for (const name of names) await removeToxic(system.toxiproxy, proxy, name);
      });
      log(`  inject ${fault.id}: ${fault.toxic.type} on ${proxy}`);
    } else if (fault.kind === 'request') {
      const tap = system.taps.get(fault.target.link);
      if (!tap) throw new Error(`no tap on link ${fault.target.link}`);
      tap.injectFault(fault.id, fault, system.seed ?? 0);
      undo.set(fault.id, async () => tap.liftFault(fault.id));
      log(`  inject ${fault.id}: ${describeRequestFault(fault)} on ${fault.target.link}`);
    } else if (fault.kind === 'proxy-down') {
      const proxy = system.proxyOf(fault.target).name;
      await setProxyEnabled(system.toxiproxy, proxy, false);
      undo.set(fault.id, () => setProxyEnabled(system.toxiproxy, proxy, true));
      log(`  inject ${fault.id}: ${proxy} down`);
    } else {
      const launched = system.running.services.find((one) => one.name === fault.service);
      if (!launched) throw new Error(`service ${fault.service} was not started by the harness`);
      const pid = launched.process.pid;
      if (fault.action === 'pause') {
        signalGroup(pid, 'SIGSTOP');
        undo.set(fault.id, async () => void signalGroup(pid, 'SIGCONT'));
      } else {
        signalGroup(pid, 'SIGKILL');
        const override = system.running.overrideOf(fault.service);
        undo.set(fault.id, () => system.running.relaunch(fault.service, override));
      }
      log(`  inject ${fault.id}: ${fault.action} ${fault.service}`);
    }
  } catch (error) {
    record.error = (error as Error).message;
    log(`  inject ${fault.id} FAILED: ${record.error}`);
  }
}

/** Every started service answers its readiness URL within `withinMs`. */
async function allReady(system: SystemUnderChaos, withinMs: number): Promise<{ ok: boolean; detail: string }> {
  const deadline = Date.now() + withinMs;
  const services = system.running.services;
  let waiting: string[];
  do {
    waiting = [];
    for (const service of services) {
      const launch = system.config.topology.services.find((one) => one.name === service.name)?.launch;
      const ready = launch?.ready ?? '/health/ready';
      const url = /^https?:/.test(ready) ? ready : `${service.url}${ready}`;
      const ok = await fetch(url, { signal: AbortSignal.timeout(1_000) }).then(
        (response) => response.ok,
        () => false,
      );
      if (!ok) waiting.push(service.name);
    }
    if (waiting.length === 0) return { ok: true, detail: `${services.length} services ready` };
    await new Promise((resolve) => setTimeout(resolve, 250));
  } while (Date.now() < deadline);
  return { ok: false, detail: `not ready within ${withinMs} ms: ${waiting.join(', ')}` };
}

/** Polls the invariants until all hold or the settle bound passes; the last outcome is the verdict. */
async function settle(system: SystemUnderChaos, scenario: SystemScenario, from: number): Promise<InvariantOutcome[]> {
  const names = scenario.expectations.invariants;
  const invariants = system.config.chaos.invariants.filter((one) => names === undefined || names.includes(one.name));
  if (invariants.length === 0) return [];
  const deadline = from + scenario.expectations.settleWithinMs;
  for (;;) {
    const outcomes = await checkInvariants(invariants, system.running.infra.description, (service) =>
      system.url(service),
    );
    if (outcomes.every((one) => one.holds) || Date.now() >= deadline) return outcomes;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function judgeOracles(
  system: SystemUnderChaos,
  scenario: SystemScenario,
  records: readonly RequestRecord[],
  faults: ReadonlyMap<string, { injectedAtMs?: number; liftedAtMs?: number }>,
): OracleResult[] {
  const results: OracleResult[] = [];
  for (const expectation of scenario.expectations.oracles ?? []) {
    const link = system.config.topology.links.find((one) => one.id === expectation.link);
    const promise = system.config.resilience[expectation.link];
    const fault = faults.get(expectation.fault);
    if (!link || !promise) continue;
    if (fault?.injectedAtMs === undefined) {
      results.push({
        oracle: `black-box ${expectation.link}`,
        passed: false,
        checks: [check('fault-injected', false, `fault ${expectation.fault} was never injected`)],
      });
      continue;
    }
    const streams =
      expectation.streams ??
      scenario.workload.filter((stream) => stream.service === link.from).map((stream) => stream.id);
    const answers: CallerAnswer[] = records
      .filter((record) => streams.includes(record.stream))
      .map((record) => ({
        startMs: record.startMs,
        endMs: record.endMs,
        status: record.status,
        ...(record.key ? { key: record.key } : {}),
      }));
    results.push(
      ...evaluateBlackBox({
        link: expectation.link,
        requests: system.taps.get(expectation.link)?.records() ?? [],
        answers,
        promise,
        fault: { startMs: fault.injectedAtMs, endMs: fault.liftedAtMs ?? Date.now() },
        toleranceMs: expectation.toleranceMs ?? DEFAULT_TOLERANCE_MS,
        ...(expectation.minRetries === undefined ? {} : { minRetries: expectation.minRetries }),
        ...(expectation.only ? { only: expectation.only } : {}),
      }),
    );
  }
  return results;
}

/** A fault on an HTTP link that no request crossed proved nothing: the scenario fails as vacuous. */
function vacuity(
  system: SystemUnderChaos,
  scenario: SystemScenario,
  faults: ReadonlyMap<string, { injectedAtMs?: number; liftedAtMs?: number; error?: string }>,
): OracleCheck[] {
  const checks: OracleCheck[] = [];
  for (const fault of scenario.faults) {
    const record = faults.get(fault.id);
    if (record?.error) {
      checks.push(check(`fault ${fault.id}`, false, record.error));
      continue;
    }
    if (fault.kind === 'process' || !('link' in fault.target)) continue;
    const from = record?.injectedAtMs ?? 0;
    const to = record?.liftedAtMs ?? Date.now();
    if (fault.kind === 'request') {
      const hits = (system.taps.get(fault.target.link)?.hitsOf(fault.id, from) ?? []).filter(
        (request) => request.startMs <= to,
      ).length;
      checks.push(
        check(
          `not-vacuous ${fault.id}`,
          hits > 0,
          hits > 0
            ? `${hits} requests on link ${fault.target.link} hit by ${fault.id}`
            : `vacuous: no request on link ${fault.target.link} was hit by ${fault.id}`,
        ),
      );
      continue;
    }
    const crossed = (system.taps.get(fault.target.link)?.records() ?? []).filter(
      (request) => request.startMs >= from && request.startMs <= to,
    ).length;
    checks.push(
      check(
        `not-vacuous ${fault.id}`,
        crossed > 0,
        crossed > 0
          ? `${crossed} requests crossed link ${fault.target.link} while ${fault.id} was active`
          : `vacuous: no request crossed link ${fault.target.link} while ${fault.id} was active`,
      ),
    );
  }
  return checks;
}

/**
 * A fault on a service's database or broker connection proved nothing when nothing used that
 * connection while it was in force. Evidence, either: bytes Toxiproxy counted on the proxy since
 * the fault went in (it counts a connection's bytes when the connection closes: a proxy taken down
 * closes them at once, pooled connections under a toxic when they end), or requests that reached
 * the service while the fault was in force (it needs its database or broker to answer them).
 */
export async function connectionVacuity(
  system: SystemUnderChaos,
  scenario: SystemScenario,
  records: readonly RequestRecord[],
  faults: ReadonlyMap<string, { injectedAtMs?: number; liftedAtMs?: number; error?: string; bytesBefore?: number }>,
): Promise<OracleCheck[]> {
  const checks: OracleCheck[] = [];
  for (const fault of scenario.faults) {
    if (fault.kind === 'process' || 'link' in fault.target) continue;
    const record = faults.get(fault.id);
    if (!record || record.error || record.injectedAtMs === undefined) continue;
    const service = 'database' in fault.target ? fault.target.database : fault.target.broker;
    const proxy = system.proxyOf(fault.target).name;
    const from = record.injectedAtMs;
    const to = record.liftedAtMs ?? Date.now();
    const bytes = (await proxyBytes(system, proxy)) - (record.bytesBefore ?? 0);
    const streams = new Set(scenario.workload.filter((stream) => stream.service === service).map((s) => s.id));
    const intoService = new Set(
      system.config.topology.links.filter((link) => link.kind === 'http' && link.to === service).map((link) => link.id),
    );
    const reached =
      records.filter((r) => streams.has(r.stream) && r.startMs >= from && r.startMs <= to).length +
      [...system.taps.entries()]
        .filter(([link]) => intoService.has(link))
        .flatMap(([, tap]) => tap.records())
        .filter((request) => request.startMs >= from && request.startMs <= to).length;
    const used = bytes > 0 || reached > 0;
    checks.push(
      check(
        `not-vacuous ${fault.id}`,
        used,
        used
          ? `${bytes} bytes counted on ${proxy} since it went in; ${reached} requests reached ${service} while it was in force`
          : `vacuous: nothing used ${proxy} while ${fault.id} was in force (no bytes counted, no request reached ${service})`,
      ),
    );
  }
  return checks;
}

/** Bytes Toxiproxy received on one proxy, both directions, so far (0 without -proxy-metrics). */
async function proxyBytes(system: SystemUnderChaos, proxy: string): Promise<number> {
  try {
    const response = await fetch(`${system.running.infra.description.toxiproxy.url}/metrics`, {
      signal: AbortSignal.timeout(2_000),
    });
    if (!response.ok) return 0;
    return parsePrometheusText(await response.text())
      .filter((sample) => sample.name === 'toxiproxy_proxy_received_bytes_total' && sample.labels.proxy === proxy)
      .reduce((sum, sample) => sum + sample.value, 0);
  } catch {
    return 0;
  }
}

function responseChecks(
  scenario: SystemScenario,
  records: readonly RequestRecord[],
  faults: ReadonlyMap<string, { injectedAtMs?: number; liftedAtMs?: number }>,
  workloadEnd: number,
): OracleCheck[] {
  return (scenario.expectations.responses ?? []).map((expectation) => {
    const [from, to] = windowOf(expectation.window, faults, workloadEnd);
    const inWindow = records.filter(
      (record) => record.stream === expectation.stream && record.startMs >= from && record.startMs <= to,
    );
    const problems: string[] = [];
    if (inWindow.length < expectation.minResponses)
      problems.push(`${inWindow.length} responses (at least ${expectation.minResponses} needed)`);
    if (expectation.statuses) {
      const other = inWindow.filter((record) => !expectation.statuses?.includes(record.status));
      if (other.length > 0)
        problems.push(
          `${other.length} with another status (${[...new Set(other.map((record) => record.status))].join(', ')})`,
        );
    }
    if (expectation.minSuccessRatio !== undefined && inWindow.length > 0) {
      const ratio = inWindow.filter((record) => record.status >= 200 && record.status < 300).length / inWindow.length;
      if (ratio < expectation.minSuccessRatio)
        problems.push(`2xx share ${ratio.toFixed(2)} (at least ${expectation.minSuccessRatio})`);
    }
    if (expectation.maxLatencyMs !== undefined) {
      const slow = inWindow.filter((record) => record.endMs - record.startMs > (expectation.maxLatencyMs ?? 0));
      if (slow.length > 0) problems.push(`${slow.length} slower than ${expectation.maxLatencyMs} ms`);
    }
    if (expectation.serverErrorsCarryRetryAfter) {
      const bare = inWindow.filter(
        (record) => record.status >= 500 && record.status < 600 && record.retryAfter === undefined,
      );
      if (bare.length > 0)
        problems.push(
          `${bare.length} 5xx without Retry-After (${[...new Set(bare.map((record) => record.status))].join(', ')})`,
        );
    }
    const name = `responses ${expectation.stream} ${describeWindow(expectation.window)}`;
    return check(
      name,
      problems.length === 0,
      problems.length === 0 ? `${inWindow.length} responses as expected` : problems.join('; '),
    );
  });
}

function windowOf(
  window: SystemWindow,
  faults: ReadonlyMap<string, { injectedAtMs?: number; liftedAtMs?: number }>,
  workloadEnd: number,
): [number, number] {
  if ('all' in window) return [0, Number.MAX_SAFE_INTEGER];
  if ('duringFault' in window) {
    const fault = faults.get(window.duringFault);
    return [fault?.injectedAtMs ?? Number.MAX_SAFE_INTEGER, fault?.liftedAtMs ?? workloadEnd];
  }
  const fault = faults.get(window.afterFault);
  return [fault?.liftedAtMs ?? Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
}

const describeWindow = (window: SystemWindow): string =>
  'all' in window ? 'overall' : 'duringFault' in window ? `during ${window.duringFault}` : `after ${window.afterFault}`;
