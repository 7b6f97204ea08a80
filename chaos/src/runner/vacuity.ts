import type { FaultRecord } from '../faults/FaultController.ts';
import { proxyOf } from '../faults/proxyOf.ts';
import type { MetricsSampler } from '../observe/MetricsSampler.ts';
import type { ChaosService, EvidenceSpec, Fault } from '../scenario/Scenario.ts';
import type { ChaosSystem } from '../system/ChaosSystem.ts';
import { linkClients } from '../system/linkClients.ts';
import { entryService, messageEnds } from '../system/kitSystem.ts';
import { callGroups } from '../oracles/tapGroups.ts';
import type { ResponseRecord } from '../workload/ResponseRecord.ts';

/** Whether a fault touched traffic, and what showed it. */
export interface FaultEvidence {
  fault: string;
  touched: boolean;
  proofs: string[];
  /** Checks that came out empty. */
  empty: string[];
}

export interface VacuityInput {
  faults: readonly Fault[];
  records: ReadonlyMap<string, FaultRecord>;
  evidence: readonly EvidenceSpec[];
  /** Results of sql-at-fault evidence, by evidence index. */
  sqlCounts: ReadonlyMap<number, number>;
  sampler: MetricsSampler;
  system: ChaosSystem;
  responses: readonly ResponseRecord[];
  experimentEndMs: number;
  /** Effects recorded when a call ends are still counted this long after the fault is lifted. */
  graceMs: number;
}

const ATTEMPTS = 'harness_dependency_request_duration_seconds_count';

/**
 * A fault that never touched traffic proves nothing, and a scenario that passes with one is a
 * vacuous pass. Each fault needs a proof: automatic ones (bytes through its Toxiproxy proxy and
 * attempts of the link's client while it was in force; dead letters for poison; redeliveries for
 * duplicates; outbox rows held back by a broker outage) or the scenario's declared evidence. A
 * toxic on only part of the connections needs declared evidence that it hit (bytes through the
 * proxy may all have gone through the lucky connections).
 */
export function assessVacuity(input: VacuityInput): FaultEvidence[] {
  return input.faults.map((fault) => {
    const record = input.records.get(fault.id);
    const proofs: string[] = [];
    const empty: string[] = [];
    if (record?.injectedAtMs === undefined) {
      return {
        fault: fault.id,
        touched: false,
        proofs,
        empty: [`never injected${record?.error ? `: ${record.error}` : ''}`],
      };
    }
    const from = record.injectedAtMs;
    const to = (record.liftedAtMs ?? input.experimentEndMs) + input.graceMs;
    const note = (ok: boolean, text: string): void => void (ok ? proofs : empty).push(text);
    const automatic = automaticProofs(fault, input, from, to);
    for (const [ok, text] of automatic) note(ok, text);
    const declared = input.evidence
      .map((spec, specIndex) => ({ spec, specIndex }))
      .filter(({ spec }) => spec.fault === fault.id);
    let declaredProof = false;
    for (const { spec, specIndex } of declared) {
      const [ok, text] = declaredProofOf(spec, specIndex, input, from, to);
      note(ok, text);
      declaredProof ||= ok;
    }
    const partial = fault.kind === 'toxic' && (fault.toxicity ?? 1) < 1;
    const automaticProof = automatic.some(([ok]) => ok);
    if (partial && declared.length === 0)
      empty.push('a toxic on part of the connections needs declared evidence that it hit');
    const touched = partial ? declaredProof : automaticProof || declaredProof;
    return { fault: fault.id, touched, proofs, empty };
  });
}

function automaticProofs(fault: Fault, input: VacuityInput, from: number, to: number): Array<[boolean, string]> {
  const { sampler, system } = input;
  const proofs: Array<[boolean, string]> = [];
  if (fault.kind === 'toxic' || fault.kind === 'proxy-down') {
    const proxy = proxyOf(system.infra, fault.target);
    if (fault.kind === 'toxic') {
      // Toxiproxy adds a connection's bytes to its counters when the connection closes, so
      // pooled connections may show nothing yet: the tap behind an HTTP link counts live.
      const tap = 'link' in fault.target ? system.taps.get(fault.target.link) : undefined;
      if (tap) {
        const crossed = tap.records(from).filter((request) => request.startMs <= to).length;
        proofs.push([crossed > 0, `${crossed} requests crossed ${proxy.name} while in force`]);
      }
    }
    // Toxiproxy counts a connection's bytes when it closes: a proxy taken down closes every
    // connection through it at once, so a database or broker connection in use shows up here.
    const bytes = sampler.proxyBytesIn(proxy.name, from, to);
    if (bytes !== undefined)
      proofs.push([bytes > 0, `${bytes} bytes counted by Toxiproxy on closed ${proxy.name} connections`]);
    const client = 'link' in fault.target ? linkClients()[fault.target.link] : undefined;
    if (client) {
      const outcome = fault.kind === 'proxy-down' ? ['failure', 'timeout'] : ['success', 'failure', 'timeout'];
      const attempts = outcome
        .map((o) =>
          sampler.counterDelta(
            client.service as ChaosService,
            ATTEMPTS,
            { dependency: client.dependency, outcome: o },
            from,
            to,
          ),
        )
        .reduce((a, b) => a + b, 0);
      const what = fault.kind === 'proxy-down' ? 'failed attempts' : 'attempts';
      proofs.push([attempts > 0, `${attempts} ${what} of ${client.service} → ${client.dependency}`]);
    }
  }
  if ((fault.kind === 'toxic' || fault.kind === 'proxy-down') && !('link' in fault.target)) {
    // Toxiproxy counts a pooled connection's bytes only when it closes: that the service was at
    // work while its database or broker connection was faulted shows it too.
    const service = 'database' in fault.target ? fault.target.database : fault.target.broker;
    const work = workOf(service, input, from, to);
    proofs.push([
      work.total > 0,
      `${service} served ${work.requests} API requests and consumed ${work.messages} messages while in force`,
    ]);
  }
  if (fault.kind === 'process') {
    // Calls into the service while it was down (or frozen), seen by the taps of the links into it.
    const into = Object.entries(linkClients())
      .filter(([, client]) => client.dependency === fault.service)
      .map(([link]) => system.frontTaps.get(link) ?? system.taps.get(link));
    const crossed = into
      .map((tap) => (tap?.records(from) ?? []).filter((request) => request.startMs <= to).length)
      .reduce((a, b) => a + b, 0);
    proofs.push([
      crossed > 0,
      `${crossed} calls sent to ${fault.service} while ${fault.action === 'pause' ? 'paused' : 'down'}`,
    ]);
    if (fault.service === entryService()) {
      const asked = input.responses.filter((response) => response.startMs >= from && response.startMs <= to).length;
      proofs.push([
        asked > 0,
        `${asked} workload requests to ${fault.service} while ${fault.action === 'pause' ? 'paused' : 'down'}`,
      ]);
    }
  }
  if (fault.kind === 'request') {
    const tap = system.frontTaps.get(fault.target.link) ?? system.taps.get(fault.target.link);
    const hits = (tap?.hitsOf(fault.id, from) ?? []).filter((request) => request.startMs <= to).length;
    proofs.push([hits > 0, `${hits} requests hit by the tap on ${fault.target.link}`]);
  }
  if (fault.kind === 'message') {
    const { consumers, publishers } = messageEnds();
    const sum = (metric: string, services: readonly string[] = consumers): number =>
      services.map((service) => sampler.counterDelta(service, metric, {}, from, to)).reduce((a, b) => a + b, 0);
    if (fault.action === 'poison') {
      const letters = sum('harness_consumer_dead_letters_total');
      proofs.push([
        letters >= fault.messages.length,
        `${letters} messages dead-lettered (${fault.messages.length} injected)`,
      ]);
    } else if (fault.action === 'duplicate') {
      const redeliveries = sum('harness_consumer_redeliveries_total');
      proofs.push([redeliveries >= 1, `${redeliveries} redeliveries absorbed by consumer dedupe`]);
    } else {
      const held = Math.max(
        0,
        ...publishers.map((service) => sampler.gaugeMax(service, 'harness_outbox_pending', {}, from, to)),
      );
      const failures = sum('harness_outbox_publish_failures_total', publishers);
      proofs.push([
        held > 0 || failures > 0,
        `outbox held up to ${held} events, ${failures} failed publishes during the outage`,
      ]);
    }
  }
  return proofs;
}

/** The routes every service answers for the harness itself, left out of "at work". */
const HARNESS_ROUTES = ['/health/live', '/health/ready', '/metrics', '/admin/resilience'];
const SERVED = 'harness_http_server_duration_seconds_count';

/** API requests a service answered and messages it consumed between two times. */
function workOf(
  service: string,
  input: VacuityInput,
  from: number,
  to: number,
): { requests: number; messages: number; total: number } {
  const served = input.sampler.counterDelta(service, SERVED, {}, from, to);
  const own = HARNESS_ROUTES.map((route) => input.sampler.counterDelta(service, SERVED, { route }, from, to)).reduce(
    (a, b) => a + b,
    0,
  );
  const requests = Math.max(0, served - own);
  const messages = input.sampler.counterDelta(service, 'harness_consumer_messages_total', {}, from, to);
  return { requests, messages, total: requests + messages };
}

function declaredProofOf(
  spec: EvidenceSpec,
  specIndex: number,
  input: VacuityInput,
  from: number,
  to: number,
): [boolean, string] {
  switch (spec.kind) {
    case 'counter': {
      const until = spec.graceMs === undefined ? to : to - input.graceMs + spec.graceMs;
      const delta = input.sampler.counterDelta(spec.service, spec.metric, spec.labels ?? {}, from, until);
      return [
        delta >= spec.min,
        `${spec.service} ${spec.metric}${labelText(spec.labels)} grew by ${delta} (≥ ${spec.min} needed)`,
      ];
    }
    case 'gauge-max': {
      const max = input.sampler.gaugeMax(spec.service, spec.metric, spec.labels ?? {}, from, to);
      return [
        max >= spec.min,
        `${spec.service} ${spec.metric}${labelText(spec.labels)} reached ${max} (≥ ${spec.min} needed)`,
      ];
    }
    case 'sql-at-fault': {
      const count = input.sqlCounts.get(specIndex);
      return [
        count !== undefined && count >= spec.min,
        `${spec.service} SQL count at injection: ${count ?? 'not taken'} (≥ ${spec.min} needed)`,
      ];
    }
    case 'replayed-calls': {
      const groups = callGroups(input.system.taps.get(spec.link)?.records(from) ?? []).filter((group) => {
        const first = group.attempts[0];
        return group.attempts.length > 1 && first !== undefined && first.startMs <= to && (first.status ?? 500) < 300;
      });
      return [
        groups.length >= spec.min,
        `${groups.length} calls on ${spec.link} retried after their answer was lost (≥ ${spec.min} needed)`,
      ];
    }
    case 'responses': {
      const count = input.responses.filter((r) => r.stream === spec.stream && r.status === spec.status).length;
      return [count >= spec.min, `${count} ${spec.status} responses on ${spec.stream} (≥ ${spec.min} needed)`];
    }
  }
}

function labelText(labels: Readonly<Record<string, string>> | undefined): string {
  if (!labels || Object.keys(labels).length === 0) return '';
  return `{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`;
}
