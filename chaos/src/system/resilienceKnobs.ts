import type { ChaosService } from '../scenario/Scenario.ts';

/** The resilience settings of one client → dependency policy, as the oracles need them. */
export interface PolicySettings {
  timeoutMs: number;
  retry: { maxAttempts: number; initialDelayMs: number; maxDelayMs: number; maxRetryAfterMs: number };
  breaker: { threshold: number; halfOpenAfterMs: number };
  bulkhead: { limit: number; queue: number };
}

type Knob = { env: string; fallback: number } | number;

interface PolicyKnobs {
  timeoutMs: Knob;
  maxAttempts: Knob;
  initialDelayMs: Knob;
  maxDelayMs: Knob;
  maxRetryAfterMs: Knob;
  threshold: Knob;
  halfOpenAfterMs: Knob;
  bulkheadLimit: Knob;
  bulkheadQueue: Knob;
}

const env = (name: string, fallback: number): Knob => ({ env: name, fallback });

/**
 * Where each policy's settings come from: the service's env var (with the service's default) or
 * the constant its resilience module hard-codes. This mirrors services/order/src/resilience.ts
 * and services/gateway/src/dependencies.ts; it would go away if the kit served the effective
 * settings next to the event log (reported as a gap).
 */
const knobs: Partial<Record<ChaosService, Record<string, PolicyKnobs>>> = {
  order: {
    payment: {
      timeoutMs: env('PAYMENT_TIMEOUT_MS', 1_500),
      maxAttempts: env('PAYMENT_RETRY_ATTEMPTS', 3),
      initialDelayMs: 100,
      maxDelayMs: 1_000,
      maxRetryAfterMs: 1_000,
      threshold: env('PAYMENT_BREAKER_THRESHOLD', 5),
      halfOpenAfterMs: env('PAYMENT_BREAKER_HALF_OPEN_MS', 5_000),
      bulkheadLimit: env('PAYMENT_BULKHEAD_LIMIT', 50),
      bulkheadQueue: env('PAYMENT_BULKHEAD_QUEUE', 50),
    },
    inventory: {
      timeoutMs: env('INVENTORY_TIMEOUT_MS', 800),
      maxAttempts: env('INVENTORY_RETRY_ATTEMPTS', 3),
      initialDelayMs: 50,
      maxDelayMs: 500,
      maxRetryAfterMs: 1_000,
      threshold: env('INVENTORY_BREAKER_THRESHOLD', 5),
      halfOpenAfterMs: env('INVENTORY_BREAKER_HALF_OPEN_MS', 5_000),
      bulkheadLimit: env('INVENTORY_BULKHEAD_LIMIT', 50),
      bulkheadQueue: env('INVENTORY_BULKHEAD_QUEUE', 50),
    },
  },
  gateway: {
    order: {
      timeoutMs: env('ORDER_TIMEOUT_MS', 10_000),
      maxAttempts: 2,
      initialDelayMs: 50,
      maxDelayMs: 500,
      maxRetryAfterMs: 5_000,
      threshold: 10,
      halfOpenAfterMs: 5_000,
      bulkheadLimit: 512,
      bulkheadQueue: 1_024,
    },
    inventory: {
      timeoutMs: env('INVENTORY_TIMEOUT_MS', 1_500),
      maxAttempts: 2,
      initialDelayMs: 50,
      maxDelayMs: 500,
      maxRetryAfterMs: 1_000,
      threshold: 5,
      halfOpenAfterMs: 5_000,
      bulkheadLimit: 128,
      bulkheadQueue: 256,
    },
    notification: {
      timeoutMs: env('NOTIFICATION_TIMEOUT_MS', 300),
      maxAttempts: 1,
      initialDelayMs: 100,
      maxDelayMs: 2_000,
      maxRetryAfterMs: 5_000,
      threshold: 5,
      halfOpenAfterMs: 5_000,
      bulkheadLimit: 128,
      bulkheadQueue: 256,
    },
  },
};

/** The effective settings of `service`'s policy for `dependency`, given the service's env. */
export function policySettings(
  service: ChaosService,
  dependency: string,
  serviceEnv: Readonly<Record<string, string>>,
): PolicySettings {
  const policy = knobs[service]?.[dependency];
  if (!policy) throw new Error(`no resilience policy known for ${service} → ${dependency}`);
  const read = (knob: Knob): number => {
    if (typeof knob === 'number') return knob;
    const raw = serviceEnv[knob.env];
    const value = raw === undefined ? Number.NaN : Number(raw);
    return Number.isFinite(value) ? value : knob.fallback;
  };
  return {
    timeoutMs: read(policy.timeoutMs),
    retry: {
      maxAttempts: read(policy.maxAttempts),
      initialDelayMs: read(policy.initialDelayMs),
      maxDelayMs: read(policy.maxDelayMs),
      maxRetryAfterMs: read(policy.maxRetryAfterMs),
    },
    breaker: { threshold: read(policy.threshold), halfOpenAfterMs: read(policy.halfOpenAfterMs) },
    bulkhead: { limit: read(policy.bulkheadLimit), queue: read(policy.bulkheadQueue) },
  };
}

/** The client service and dependency name of an HTTP link, as labelled in metrics and events. */
export const linkClients: Record<string, { service: ChaosService; dependency: string }> = {
  L2: { service: 'gateway', dependency: 'order' },
  L3: { service: 'gateway', dependency: 'inventory' },
  L4: { service: 'order', dependency: 'inventory' },
  L5: { service: 'order', dependency: 'payment' },
  L8: { service: 'gateway', dependency: 'notification' },
};
