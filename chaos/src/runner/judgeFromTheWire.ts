import type { FaultTimes } from '../expectations/windows.ts';
import type { CallerAnswer } from '../oracles/blackbox/CallerAnswer.ts';
import { evaluateBlackBox } from '../oracles/blackbox/evaluateBlackBox.ts';
import type { LinkResilience } from '../oracles/blackbox/LinkResilience.ts';
import { check, oracleResult, type OracleResult } from '../oracles/OracleResult.ts';
import { policyKey, type EffectivePolicies, type PolicySettings } from '../observe/effectivePolicies.ts';
import type { Fault, OracleSpec, Scenario } from '../scenario/Scenario.ts';
import type { ChaosSystem } from '../system/ChaosSystem.ts';
import { linkClients, linkOf } from '../system/linkClients.ts';
import type { ResponseRecord } from '../workload/ResponseRecord.ts';

export interface WireInputs {
  scenario: Scenario;
  system: Pick<ChaosSystem, 'frontTaps'>;
  /** What the workload got from the system's entry service. */
  responses: readonly ResponseRecord[];
  policies: EffectivePolicies;
  faults: ReadonlyMap<string, FaultTimes>;
  /** Requests before this are left out (the scenario's start). */
  startMs: number;
  /** When the experiment ended: the end of a fault window that was never lifted. */
  experimentEndMs: number;
  /** Slack for timing checks on the link (the kit oracles' tolerance). */
  toleranceMs: (link: string) => number;
}

/**
 * The same claims the kit's oracles check from the services' own resilience logs, judged a second
 * time from the wire alone by the black-box oracles a foreign system gets: what the front tap of
 * the link saw the caller send (every attempt, also those a fault killed) and what the caller
 * answered its own callers (the front taps of the links into it, or the workload for the entry
 * service). The promise is the policy the caller reports it runs with (`/admin/resilience`).
 * Nothing to judge on an attached system (it has no front taps).
 */
export function judgeFromTheWire(input: WireInputs): OracleResult[] {
  if (input.system.frontTaps.size === 0) return [];
  const results: OracleResult[] = [];
  for (const spec of input.scenario.expectations.oracles ?? []) {
    if (spec.fromTheWire === false) continue;
    const link = linkOf(spec.service, spec.dependency);
    const settings = input.policies.policies[policyKey(spec.service, spec.dependency)];
    const tap = link === undefined ? undefined : input.system.frontTaps.get(link);
    // No policy reported: the kit oracle of the same spec already fails and says why.
    if (link === undefined || tap === undefined || settings === undefined) continue;
    const fault = faultFor(input.scenario.faults, spec, link);
    const times = fault === undefined ? undefined : input.faults.get(fault.id);
    if (times?.injectedAtMs === undefined) {
      results.push(
        oracleResult(`black-box ${spec.kind} ${link}`, [
          check('fault-injected', false, `no fault the ${spec.kind} on ${link} could be judged against was injected`),
        ]),
      );
      continue;
    }
    results.push(
      ...evaluateBlackBox({
        link,
        requests: tap.records(input.startMs),
        answers: callerAnswers(input, spec.service),
        promise: promiseOf(settings, spec.kind === 'breaker' && spec.fallback === true),
        fault: { startMs: times.injectedAtMs, endMs: times.liftedAtMs ?? input.experimentEndMs },
        toleranceMs: input.toleranceMs(link),
        only: [spec.kind],
        ...(spec.kind === 'retry' ? { minRetries: spec.minRetriesOnTheWire ?? spec.minRetries } : {}),
      }),
    );
  }
  return results;
}

/** A kit policy as the promise a foreign caller would declare in its config (the kit jitters every wait). */
export function promiseOf(settings: PolicySettings, fallback = false): LinkResilience {
  return {
    timeoutMs: settings.timeoutMs,
    retry: {
      attempts: settings.retry.maxAttempts,
      initialDelayMs: settings.retry.initialDelayMs,
      maxDelayMs: settings.retry.maxDelayMs,
      jitter: true,
    },
    breaker: {
      threshold: settings.breaker.threshold,
      halfOpenAfterMs: settings.breaker.halfOpenAfterMs,
      ...(fallback ? { fallback } : {}),
    },
    bulkhead: { limit: settings.bulkhead.limit },
  };
}

/**
 * The fault an oracle on `link` is judged against: one on the link itself, else one on the
 * dependency's database or broker connection or process, else the scenario's first fault.
 */
function faultFor(faults: readonly Fault[], spec: OracleSpec, link: string): Fault | undefined {
  const onLink = faults.find((fault) => 'target' in fault && 'link' in fault.target && fault.target.link === link);
  if (onLink) return onLink;
  const onDependency = faults.find((fault) => {
    if (fault.kind === 'process') return fault.service === spec.dependency;
    if (!('target' in fault)) return false;
    const target = fault.target;
    return (
      ('database' in target && target.database === spec.dependency) ||
      ('broker' in target && target.broker === spec.dependency)
    );
  });
  return onDependency ?? faults[0];
}

/**
 * What `service` answered its callers: the records of the front taps on the HTTP links into it
 * (their callers' view of each attempt), or, for the entry service no link leads into, the
 * workload's responses.
 */
function callerAnswers(input: WireInputs, service: string): CallerAnswer[] {
  const inbound = Object.entries(linkClients())
    .filter(([, client]) => client.dependency === service)
    .map(([link]) => input.system.frontTaps.get(link))
    .filter((tap) => tap !== undefined);
  if (inbound.length > 0) {
    return inbound.flatMap((tap) =>
      tap.records(input.startMs).map((request) => ({
        startMs: request.startMs,
        endMs: request.endMs,
        status: request.callerGone ? 0 : (request.status ?? 0),
        ...(request.idempotencyKey === undefined ? {} : { key: request.idempotencyKey }),
      })),
    );
  }
  return input.responses.map((response) => ({
    startMs: response.startMs,
    endMs: response.endMs,
    status: response.status,
    ...(response.kind === 'place' ? { key: response.key } : {}),
  }));
}
