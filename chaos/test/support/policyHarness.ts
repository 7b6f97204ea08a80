import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createResiliencePolicy,
  resilientFetch,
  resolveResilienceSettings,
  ResilienceEventLog,
  type FetchFunction,
  type ResiliencePolicy,
  type ResilienceSettingsInput,
} from '@harness/kit';
import type { ResilienceEvent } from '../../src/observe/ResilienceLogCollector.ts';
import { HttpTap } from '../../src/system/HttpTap.ts';
import type { PolicySettings } from '../../src/observe/effectivePolicies.ts';

/** How the stub dependency answers the next requests. */
export interface StubBehaviour {
  /** Status to answer with (default 200). */
  status: number;
  /** Delay before answering. */
  delayMs: number;
  /** Fail (503) the first N attempts of each call (counted per traceparent), then answer `status`. */
  failFirstAttempts: number;
}

export interface PolicyHarness {
  behaviour: StubBehaviour;
  tap: HttpTap;
  log: ResilienceEventLog;
  policy: ResiliencePolicy;
  /** The kit's resilient fetch through the tap to the stub. */
  fetch: FetchFunction;
  /** The tap's URL (what a client of the dependency calls). */
  url: string;
  /** The settings the policy was built with, as the oracles take them. */
  settings: PolicySettings;
  /** The kit's events, as the runner collects them from /admin/resilience. */
  events(): ResilienceEvent[];
  close(): Promise<void>;
}

/**
 * The real kit resilience policy and client in front of a stub dependency, with a chaos tap in
 * between: the oracles get a genuine event log and genuine ground truth to check, and tests can
 * break either side on purpose.
 */
export async function policyHarness(dependency: string, input: ResilienceSettingsInput): Promise<PolicyHarness> {
  const behaviour: StubBehaviour = { status: 200, delayMs: 0, failFirstAttempts: 0 };
  const attemptsSeen = new Map<string, number>();
  const stub = http.createServer((request, response) => {
    const trace = String(request.headers.traceparent ?? Math.random());
    const attempt = (attemptsSeen.get(trace) ?? 0) + 1;
    attemptsSeen.set(trace, attempt);
    request.resume();
    setTimeout(() => {
      const status = attempt <= behaviour.failFirstAttempts ? 503 : behaviour.status;
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'x', attempt }));
    }, behaviour.delayMs);
  });
  await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', () => resolve()));
  const tap = new HttpTap('L5', { host: '127.0.0.1', port: (stub.address() as AddressInfo).port });
  await tap.listen();
  const log = new ResilienceEventLog();
  const policy = createResiliencePolicy(dependency, input, { events: log });
  const resolved = resolveResilienceSettings(input);
  return {
    behaviour,
    tap,
    log,
    policy,
    fetch: resilientFetch({ baseUrl: `http://${tap.address}`, policy, serviceToken: 'test-token' }),
    url: `http://${tap.address}`,
    settings: {
      timeoutMs: resolved.timeoutMs,
      retry: resolved.retry,
      breaker: { threshold: resolved.breaker.threshold, halfOpenAfterMs: resolved.breaker.halfOpenAfterMs },
      bulkhead: resolved.bulkhead,
    },
    events: () => log.list().map((event) => ({ ...event, service: 'order', pid: 1 }) as ResilienceEvent),
    async close() {
      await tap.close();
      stub.closeAllConnections();
      await new Promise<void>((resolve) => stub.close(() => resolve()));
    },
  };
}

/** Sends one call through the kit's client; resolves with the status or the failure's name. */
export async function call(
  harness: PolicyHarness,
  init: { method?: string; path?: string; idempotencyKey?: string } = {},
): Promise<number | string> {
  const headers: Record<string, string> = {};
  if (init.idempotencyKey !== undefined) headers['idempotency-key'] = init.idempotencyKey;
  try {
    const response = await harness.fetch(
      new Request(`${harness.url}${init.path ?? '/charges'}`, { method: init.method ?? 'GET', headers }),
    );
    await response.arrayBuffer();
    return response.status;
  } catch (error) {
    return error instanceof Error
      ? (('reason' in error && typeof error.reason === 'string' ? error.reason : error.name) as string)
      : 'error';
  }
}

/**
 * A deliberately broken client: it sends the attempts of one call straight to the dependency
 * (same traceparent), waiting `waitMs` between them, and logs retries claiming `loggedDelayMs`.
 */
export async function brokenClientCall(
  harness: PolicyHarness,
  options: { attempts: number; waitMs: number; loggedDelayMs: number; method: string; idempotencyKey?: string },
): Promise<void> {
  const traceparent = `00-${Math.random().toString(16).slice(2).padEnd(32, '0').slice(0, 32)}-${'1'.repeat(16)}-01`;
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    const headers: Record<string, string> = { traceparent };
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    const started = Date.now();
    const response = await fetch(`${harness.url}/charges`, { method: options.method, headers });
    await response.arrayBuffer();
    harness.log.record(harness.policy.dependency, {
      type: 'call',
      outcome: 'failure',
      durationMs: Date.now() - started,
    });
    if (attempt < options.attempts) {
      harness.log.record(harness.policy.dependency, {
        type: 'retry',
        attempt: attempt + 1,
        delayMs: options.loggedDelayMs,
        reason: 'status 503',
      });
      await new Promise((resolve) => setTimeout(resolve, options.waitMs));
    }
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
