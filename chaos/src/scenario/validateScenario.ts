import { requestFaultProblems } from '../faults/requestFaults.ts';
import {
  chaosCallLinks,
  chaosServices,
  chaosTappedLinks,
  entryLinks,
  kitConfig,
  kitInvariants,
} from '../system/kitSystem.ts';
import { TOXIC_TYPES, type Fault, type ProxyTarget, type Scenario, type Toxic, type Window } from './Scenario.ts';

/** The longest a scenario may take (the speed bound). */
export const MAX_SCENARIO_MS = 60_000;
const MAX_ORDERS_PER_STREAM = 500;
const MAX_CONCURRENCY = 32;

/**
 * Checks a scenario beyond its TypeScript type: values in range, references that resolve (fault
 * ids in windows, streams in expectations), bounded workloads, faults inside the time limit.
 * Returns one line per problem; empty means valid. Scenario files are data anyone may write, so
 * the runner refuses an invalid one before touching the system.
 */
export function validateScenario(input: unknown): string[] {
  const problems: string[] = [];
  const fail = (message: string): void => void problems.push(message);
  if (typeof input !== 'object' || input === null) return ['a scenario must be an object'];
  const s = input as Scenario;
  if (typeof s.id !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(s.id)) fail('id must be kebab-case');
  for (const field of ['title', 'hypothesis'] as const) {
    if (typeof s[field] !== 'string' || s[field].trim() === '') fail(`${field} must be a non-empty string`);
  }
  if (typeof s.ci !== 'boolean') fail('ci must be true or false');
  if (!isPositive(s.timeLimitMs) || s.timeLimitMs > MAX_SCENARIO_MS) {
    fail(`timeLimitMs must be in (0, ${MAX_SCENARIO_MS}]`);
  }
  if (!Array.isArray(s.steadyState) || s.steadyState.length === 0) fail('steadyState needs at least one probe');
  if (!Array.isArray(s.faults) || s.faults.length === 0) fail('faults needs at least one fault');
  if (!Array.isArray(s.workload)) fail('workload must be a list of streams');
  if (typeof s.expectations !== 'object' || s.expectations === null) return [...problems, 'expectations missing'];
  if (problems.length > 0) return problems;

  for (const [service, env] of Object.entries(s.serviceEnv ?? {})) {
    if (!chaosServices().includes(service)) fail(`serviceEnv: unknown service ${service}`);
    for (const [name, value] of Object.entries(env ?? {})) {
      if (!/^[A-Z][A-Z0-9_]*$/.test(name) || typeof value !== 'string')
        fail(`serviceEnv.${service}.${name} must be a string`);
    }
  }

  const faultIds = new Set<string>();
  for (const fault of s.faults) {
    const where = `fault ${fault.id ?? '?'}`;
    if (typeof fault.id !== 'string' || fault.id === '') fail('every fault needs an id');
    else if (faultIds.has(fault.id)) fail(`${where}: duplicate id`);
    else faultIds.add(fault.id);
    problems.push(...faultProblems(fault, s.timeLimitMs).map((problem) => `${where}: ${problem}`));
  }

  const streamIds = new Set<string>();
  for (const stream of s.workload) {
    const where = `stream ${stream.id ?? '?'}`;
    if (typeof stream.id !== 'string' || stream.id === '' || streamIds.has(stream.id))
      fail(`${where}: needs a unique id`);
    streamIds.add(stream.id);
    if (!Number.isInteger(stream.count) || stream.count < 1 || stream.count > MAX_ORDERS_PER_STREAM) {
      fail(`${where}: count must be 1..${MAX_ORDERS_PER_STREAM}`);
    }
    if ((stream.startMs ?? 0) < 0 || (stream.startMs ?? 0) >= s.timeLimitMs) fail(`${where}: startMs out of range`);
    if (stream.kind === 'place-orders') {
      if (!Number.isInteger(stream.concurrency) || stream.concurrency < 1 || stream.concurrency > MAX_CONCURRENCY) {
        fail(`${where}: concurrency must be 1..${MAX_CONCURRENCY}`);
      }
      if (stream.items.length === 0) fail(`${where}: needs at least one item`);
      for (const item of stream.items) {
        if (!Number.isInteger(item.quantity) || item.quantity < 1)
          fail(`${where}: quantities must be positive integers`);
      }
      if (stream.duplicates !== undefined && (!Number.isInteger(stream.duplicates) || stream.duplicates < 1)) {
        fail(`${where}: duplicates must be a positive integer`);
      }
    } else if (stream.kind === 'read-orders' || stream.kind === 'browse-products' || stream.kind === 'read-history') {
      if (!isPositive(stream.everyMs)) fail(`${where}: everyMs must be positive`);
      if (stream.kind === 'read-orders' && stream.link !== undefined && !entryLinks().includes(stream.link))
        fail(`${where}: link ${stream.link} is not an HTTP or GraphQL link into ${kitConfig().chaos.entry ?? '?'}`);
    } else {
      fail(`${where}: unknown kind ${(stream as { kind: string }).kind}`);
    }
  }

  const checkWindow = (window: Window, where: string): void => {
    if ('duringFault' in window && !faultIds.has(window.duringFault)) fail(`${where}: no fault ${window.duringFault}`);
    if ('afterFault' in window && !faultIds.has(window.afterFault)) fail(`${where}: no fault ${window.afterFault}`);
  };
  const { expectations } = s;
  for (const expectation of expectations.responses ?? []) {
    const where = `response expectation on ${expectation.stream}`;
    if (!streamIds.has(expectation.stream)) fail(`${where}: no stream ${expectation.stream}`);
    checkWindow(expectation.window, where);
    if (!Number.isInteger(expectation.minResponses) || expectation.minResponses < 1) {
      fail(`${where}: minResponses must be at least 1 (an expectation over nothing proves nothing)`);
    }
    const ratio = expectation.minSuccessRatio;
    if (ratio !== undefined && !(ratio >= 0 && ratio <= 1)) fail(`${where}: minSuccessRatio must be in [0, 1]`);
    const marked = expectation.marked;
    if (marked !== undefined && (marked.mark === '' || !Number.isInteger(marked.min) || marked.min < 1))
      fail(`${where}: marked needs a mark and a min of at least 1`);
  }
  for (const oracle of expectations.oracles ?? []) {
    if (!chaosServices().includes(oracle.service)) fail(`oracle ${oracle.kind}: unknown service ${oracle.service}`);
    if (oracle.kind === 'retry' && !(oracle.minRetries >= 1)) fail('retry oracle: minRetries must be at least 1');
    if (oracle.kind === 'retry' && oracle.minRetriesOnTheWire !== undefined && !(oracle.minRetriesOnTheWire >= 1))
      fail('retry oracle: minRetriesOnTheWire must be at least 1');
    if (oracle.kind === 'bulkhead' && !(oracle.minRejections >= 1))
      fail('bulkhead oracle: minRejections must be at least 1');
  }
  for (const name of expectations.invariants ?? []) {
    if (!(name in kitInvariants()))
      fail(`unknown invariant ${name} (known: ${Object.keys(kitInvariants()).join(', ')})`);
  }
  for (const evidence of expectations.evidence ?? []) {
    if (!faultIds.has(evidence.fault)) fail(`evidence ${evidence.kind}: no fault ${evidence.fault}`);
    if (evidence.kind === 'responses' && !streamIds.has(evidence.stream))
      fail(`evidence: no stream ${evidence.stream}`);
    if (!(evidence.min >= 1)) fail(`evidence ${evidence.kind}: min must be at least 1`);
    if (
      evidence.kind === 'counter' &&
      evidence.graceMs !== undefined &&
      !(evidence.graceMs > 0 && evidence.graceMs <= s.timeLimitMs)
    )
      fail(`evidence counter ${evidence.metric}: graceMs must be positive and within timeLimitMs`);
  }
  if (!isPositive(expectations.settleWithinMs) || expectations.settleWithinMs > s.timeLimitMs) {
    fail('expectations.settleWithinMs must be positive and within timeLimitMs');
  }
  if (!isPositive(s.recovery?.withinMs) || !Array.isArray(s.recovery.probes) || s.recovery.probes.length === 0) {
    fail('recovery needs withinMs and at least one probe');
  }
  return problems;
}

function faultProblems(fault: Fault, timeLimitMs: number): string[] {
  const problems: string[] = [];
  if (!(fault.startMs >= 0) || fault.startMs >= timeLimitMs) problems.push('startMs must be within the time limit');
  if (fault.stopMs !== undefined && !(fault.stopMs > fault.startMs && fault.stopMs < timeLimitMs)) {
    problems.push('stopMs must be after startMs and within the time limit');
  }
  switch (fault.kind) {
    case 'toxic':
      problems.push(...targetProblems(fault.target), ...toxicProblems(fault.toxic));
      if (!['upstream', 'downstream', 'both'].includes(fault.direction))
        problems.push('direction must be upstream, downstream or both');
      if (fault.toxicity !== undefined && !(fault.toxicity > 0 && fault.toxicity <= 1))
        problems.push('toxicity must be in (0, 1]');
      if (fault.cycleConnectionsEveryMs !== undefined && !(fault.cycleConnectionsEveryMs >= 100)) {
        problems.push('cycleConnectionsEveryMs must be at least 100');
      }
      break;
    case 'request':
      if (!('link' in fault.target))
        problems.push(
          'a request-level fault needs an HTTP or gRPC link target ({ link }): a database or broker connection carries no requests',
        );
      else if (!chaosTappedLinks().includes(fault.target.link))
        problems.push(`unknown HTTP or gRPC link between the services under chaos: ${fault.target.link}`);
      else problems.push(...requestFaultProblems(fault));
      break;
    case 'proxy-down':
      problems.push(...targetProblems(fault.target));
      break;
    case 'process':
      if (!chaosServices().includes(fault.service)) problems.push(`unknown service ${fault.service}`);
      if (!['kill', 'pause', 'restart'].includes(fault.action)) problems.push(`unknown action ${fault.action}`);
      break;
    case 'message':
      if (fault.action === 'poison' && fault.messages.length === 0) problems.push('poison needs at least one message');
      if (fault.action === 'poison' && new Set(fault.messages.map((m) => m.name)).size !== fault.messages.length) {
        problems.push('poison message names must be unique');
      }
      if (fault.action === 'duplicate' && !(Number.isInteger(fault.count) && fault.count >= 1))
        problems.push('count must be ≥ 1');
      if (fault.action === 'duplicate' && fault.producer !== undefined && !chaosServices().includes(fault.producer))
        problems.push(`unknown producer ${fault.producer}`);
      if (fault.action === 'broker-restart' && fault.stopMs === undefined) problems.push('broker-restart needs stopMs');
      if (!['poison', 'duplicate', 'broker-restart'].includes(fault.action)) problems.push(`unknown action`);
      break;
    default:
      problems.push(`unknown kind ${(fault as { kind: string }).kind}`);
  }
  return problems;
}

/**
 * A proxy target must exist in the reference config: an HTTP or gRPC link, or a service's database
 * or broker connection.
 */
function targetProblems(target: ProxyTarget): string[] {
  if ('link' in target)
    return chaosCallLinks().includes(target.link) ? [] : [`unknown HTTP, GraphQL or gRPC link ${target.link}`];
  const services = kitConfig().topology.services;
  if ('database' in target)
    return services.some((service) => service.name === target.database && service.database)
      ? []
      : [`${target.database} has no database`];
  if ('broker' in target) {
    return services.some((service) => service.name === target.broker && service.broker)
      ? []
      : [`${target.broker} has no broker connection`];
  }
  return ['target must name a link, a database or a broker connection'];
}

function toxicProblems(toxic: Toxic): string[] {
  if (!TOXIC_TYPES.includes(toxic.type)) return [`unknown toxic ${(toxic as { type: string }).type}`];
  const numbers: Record<string, number | undefined> = { ...toxic } as never;
  const bad = Object.entries(numbers).filter(
    ([key, value]) => key !== 'type' && !(typeof value === 'number' && value >= 0),
  );
  const problems = bad.map(([key]) => `toxic ${toxic.type}: ${key} must be a number ≥ 0`);
  if (toxic.type === 'bandwidth' && !(toxic.rateKBps > 0)) problems.push('bandwidth: rateKBps must be positive');
  if (toxic.type === 'slicer' && !(toxic.averageSize > 0)) problems.push('slicer: averageSize must be positive');
  if (toxic.type === 'slicer' && toxic.sizeVariation >= toxic.averageSize) {
    problems.push('slicer: sizeVariation must be smaller than averageSize');
  }
  return problems;
}

function isPositive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}
