import type { AddressInfo } from 'node:net';
import {
  createLogger,
  createMetrics,
  createResiliencePolicy,
  createServiceApp,
  ResilienceEventLog,
} from '@harness/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePolicySettings, readEffectivePolicies } from '../src/observe/effectivePolicies.ts';
import { evaluateOracles } from '../src/runner/evaluateOracles.ts';
import type { Scenario } from '../src/scenario/Scenario.ts';
import type { ChaosSystem } from '../src/system/ChaosSystem.ts';

const serviceToken = 'svc_chaos_policies';
const emptySpec = {
  openapi: '3.1.0',
  info: { title: 'a service (test)', version: '1.0.0' },
  paths: {},
  components: { securitySchemes: { serviceToken: { type: 'apiKey', in: 'header', name: 'X-Service-Token' } } },
};

let app: ReturnType<typeof createServiceApp>;
let url: string;

beforeAll(async () => {
  const resilienceEvents = new ResilienceEventLog();
  // As order builds its policies: the settings come from its config, the kit reports the effective ones.
  createResiliencePolicy(
    'payment',
    { timeoutMs: 500, retry: { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 1_000 }, breaker: { threshold: 3 } },
    { events: resilienceEvents },
  );
  createResiliencePolicy('inventory', { bulkhead: { limit: 7, queue: 0 } }, { events: resilienceEvents });
  app = createServiceApp({
    name: 'order',
    spec: emptySpec,
    handlers: {},
    logger: createLogger({ service: 'order', level: 'silent' }),
    metrics: createMetrics('order', { defaultMetrics: false }),
    resilienceEvents,
    serviceToken,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
afterAll(() => app.close());

const systemWith = (token: string) => ({ url: () => url, secrets: { serviceToken: token } }) as unknown as ChaosSystem;

describe('effective resilience settings', () => {
  it("are read from each service's /admin/resilience with the service token", async () => {
    const { policies, problems } = await readEffectivePolicies(systemWith(serviceToken), ['order']);
    expect(problems).toEqual([]);
    expect(policies).toEqual({
      'order → payment': {
        timeoutMs: 500,
        retry: { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 },
        breaker: { threshold: 3, halfOpenAfterMs: 5_000 },
        bulkhead: { limit: 20, queue: 50 },
      },
      'order → inventory': {
        timeoutMs: 2_000,
        retry: { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 2_000, maxRetryAfterMs: 5_000 },
        breaker: { threshold: 5, halfOpenAfterMs: 5_000 },
        bulkhead: { limit: 7, queue: 0 },
      },
    });
  });

  it('name the service that refused the token instead of guessing its settings', async () => {
    const { policies, problems } = await readEffectivePolicies(systemWith('svc_wrong_token'), ['order']);
    expect(policies).toEqual({});
    expect(problems).toEqual(['order: GET /admin/resilience answered 401']);
  });

  it('are incomplete without every number the oracles use', () => {
    expect(parsePolicySettings({ timeoutMs: 1, retry: {}, breaker: {}, bulkhead: {} })).toBeUndefined();
    expect(parsePolicySettings('nope')).toBeUndefined();
  });

  it('fail an oracle whose policy the service did not report', () => {
    const scenario = {
      faults: [],
      expectations: { oracles: [{ kind: 'breaker', service: 'order', dependency: 'payment' }] },
    } as unknown as Scenario;
    const [result] = evaluateOracles({
      scenario,
      system: { taps: new Map() } as unknown as ChaosSystem,
      events: [],
      responses: [],
      startMs: 0,
      policies: { policies: {}, problems: ['order: GET /admin/resilience answered 401'] },
    });
    expect(result).toEqual({
      oracle: 'breaker order → payment',
      passed: false,
      checks: [
        {
          name: 'effective-settings',
          passed: false,
          detail: 'order reported no policy for payment (order: GET /admin/resilience answered 401)',
        },
      ],
    });
  });
});
