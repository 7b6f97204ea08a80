import { proxyOf } from '../faults/proxyOf.ts';
import { policyKey, type EffectivePolicies } from '../observe/effectivePolicies.ts';
import type { MetricsSampler } from '../observe/MetricsSampler.ts';
import type { ResilienceEvent } from '../observe/ResilienceLogCollector.ts';
import { breakerIntervals } from '../oracles/breakerStates.ts';
import { breakerOracle } from '../oracles/breakerOracle.ts';
import { bulkheadOracle } from '../oracles/bulkheadOracle.ts';
import { check, oracleResult, type OracleResult } from '../oracles/OracleResult.ts';
import { retryOracle } from '../oracles/retryOracle.ts';
import type { Scenario } from '../scenario/Scenario.ts';
import type { ChaosSystem } from '../system/ChaosSystem.ts';
import type { TappedRequest } from '../system/HttpTap.ts';
import { linkOf } from '../system/linkClients.ts';
import type { ResponseRecord } from '../workload/ResponseRecord.ts';
import type { Timeline } from './ScenarioRun.ts';

// Scheduling slack on a busy 2-core machine: event-loop lag adds to every measured gap.
const BASE_TOLERANCE_MS = 400;

export interface OracleInputs {
  scenario: Scenario;
  system: ChaosSystem;
  events: readonly ResilienceEvent[];
  responses: readonly ResponseRecord[];
  startMs: number;
  /** The settings the services reported for their policies when the scenario started. */
  policies: EffectivePolicies;
}

/** Slack for timing checks: scheduling noise plus any upstream latency the scenario adds on the link. */
export function toleranceFor(scenario: Scenario, link: string | undefined): number {
  let added = 0;
  for (const fault of scenario.faults) {
    if (fault.kind !== 'toxic' || !('link' in fault.target) || fault.target.link !== link) continue;
    if (fault.direction === 'downstream') continue;
    if (fault.toxic.type === 'latency') added = Math.max(added, fault.toxic.latencyMs + (fault.toxic.jitterMs ?? 0));
  }
  return BASE_TOLERANCE_MS + added;
}

/** Toxics that can end an answer on its way from the tap back to the caller. */
const CUTTING_TOXICS = new Set(['reset_peer', 'limit_data', 'timeout', 'slow_close']);

/** Whether a fault of the scenario on the link can cut answers between the tap and the caller. */
export function answersMayBeCut(scenario: Scenario, link: string | undefined): boolean {
  return scenario.faults.some((fault) => {
    if (fault.kind === 'proxy-down') return 'link' in fault.target && fault.target.link === link;
    if (fault.kind !== 'toxic' || !('link' in fault.target) || fault.target.link !== link) return false;
    return fault.direction !== 'upstream' && CUTTING_TOXICS.has(fault.toxic.type);
  });
}

function requestsOn(system: ChaosSystem, link: string | undefined, startMs: number): TappedRequest[] | undefined {
  if (link === undefined) return undefined;
  return system.taps.get(link)?.records(startMs);
}

/** Runs every oracle the scenario declares over what was collected. */
export function evaluateOracles(input: OracleInputs): OracleResult[] {
  const { scenario, system, events, startMs } = input;
  return (scenario.expectations.oracles ?? []).map((spec) => {
    const link = linkOf(spec.service, spec.dependency);
    const settings = input.policies.policies[policyKey(spec.service, spec.dependency)];
    if (settings === undefined) {
      const why = input.policies.problems.filter((problem) => problem.startsWith(`${spec.service}:`));
      return oracleResult(`${spec.kind} ${spec.service} → ${spec.dependency}`, [
        check(
          'effective-settings',
          false,
          `${spec.service} reported no policy for ${spec.dependency}${why.length > 0 ? ` (${why.join('; ')})` : ''}`,
        ),
      ]);
    }
    const requests = requestsOn(system, link, startMs);
    const toleranceMs = toleranceFor(scenario, link);
    const common = { events, service: spec.service, dependency: spec.dependency, settings, toleranceMs };
    const withRequests = requests === undefined ? {} : { requests };
    switch (spec.kind) {
      case 'breaker':
        return breakerOracle({ ...common, ...withRequests, closesAgain: spec.closesAgain ?? false, startMs });
      case 'retry':
        return retryOracle({
          ...common,
          ...withRequests,
          minRetries: spec.minRetries,
          answersMayBeCut: answersMayBeCut(scenario, link),
          ...(spec.maxTotalAttempts === undefined ? {} : { maxTotalAttempts: spec.maxTotalAttempts }),
        });
      case 'bulkhead':
        return bulkheadOracle({
          ...common,
          ...withRequests,
          responses: input.responses,
          minRejections: spec.minRejections,
          fastRejectMs: spec.fastRejectMs,
        });
    }
  });
}

/** The data of the scenario's timeline: breaker states, bytes through the faulted proxies, retries. */
export function buildTimeline(
  scenario: Scenario,
  system: ChaosSystem,
  events: readonly ResilienceEvent[],
  sampler: MetricsSampler,
  t0: number,
  endMs: number,
): Timeline {
  const pairs = new Map<string, { service: string; dependency: string }>();
  for (const event of events) {
    if (event.type === 'breaker' || event.type === 'retry' || event.type === 'short_circuited') {
      pairs.set(`${event.service}/${event.dependency}`, { service: event.service, dependency: event.dependency });
    }
  }
  for (const oracle of scenario.expectations.oracles ?? []) {
    pairs.set(`${oracle.service}/${oracle.dependency}`, { service: oracle.service, dependency: oracle.dependency });
  }
  const breakers = [...pairs.values()].map(({ service, dependency }) => ({
    service,
    dependency,
    intervals: breakerIntervals(events, service, dependency, t0).map(({ state, fromMs, toMs }) => ({
      state,
      fromMs: Math.max(fromMs, t0),
      toMs: Number.isFinite(toMs) ? toMs : endMs,
    })),
  }));
  const proxies = new Set<string>();
  for (const fault of scenario.faults) {
    if (fault.kind === 'toxic' || fault.kind === 'proxy-down') proxies.add(proxyOf(system.infra, fault.target).name);
  }
  const proxyBytes = [...proxies].map((proxy) => {
    const samples = sampler.proxyBytes.filter((s) => s.atMs >= t0 - 1_000 && s.atMs <= endMs);
    const points = samples.slice(1).map((sample, index) => ({
      atMs: sample.atMs,
      bytes: (sample.bytes[proxy] ?? 0) - (samples[index]?.bytes[proxy] ?? 0),
    }));
    return { proxy, points };
  });
  const retries = events
    .filter(
      (e) => (e.type === 'retry' || e.type === 'short_circuited' || e.type === 'bulkhead_rejected') && e.atMs >= t0,
    )
    .map((e) => ({ atMs: e.atMs, label: `${e.service}→${e.dependency} ${e.type}` }));
  return { t0, endMs, breakers, proxyBytes, retries };
}
