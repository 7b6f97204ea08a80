import type { ChaosService } from '../scenario/Scenario.ts';

export type ServiceEnvOverrides = Partial<Record<ChaosService, Readonly<Record<string, string>>>>;

/**
 * The env every service of a chaos-owned system starts with, on top of what the topology gives
 * it: the same mechanisms as in production, on a shorter clock, so a scenario sees a breaker open,
 * half-open and close, a saga past its deadline, an audit, a retry queue, all within seconds.
 * A scenario's own `serviceEnv` goes on top of this (its services restart when it changes).
 */
export const chaosTunedEnv: Record<ChaosService, Readonly<Record<string, string>>> = {
  gateway: {
    LOG_LEVEL: 'warn',
  },
  order: {
    LOG_LEVEL: 'warn',
    PAYMENT_TIMEOUT_MS: '500',
    PAYMENT_RETRY_ATTEMPTS: '3',
    PAYMENT_BREAKER_THRESHOLD: '3',
    PAYMENT_BREAKER_HALF_OPEN_MS: '2000',
    INVENTORY_TIMEOUT_MS: '400',
    INVENTORY_RETRY_ATTEMPTS: '3',
    INVENTORY_BREAKER_THRESHOLD: '5',
    INVENTORY_BREAKER_HALF_OPEN_MS: '2000',
    ORDER_REQUEST_BUDGET_MS: '2500',
    SAGA_LEASE_MS: '3000',
    SAGA_DEADLINE_MS: '8000',
    SAGA_MAX_ATTEMPTS: '5',
    SAGA_RETRY_BASE_MS: '300',
    SAGA_RETRY_MAX_MS: '1500',
    SAGA_AUDIT_DELAY_MS: '1000',
    SAGA_RECOVERY_INTERVAL_MS: '250',
    // Prices do not change during a run; a long cache keeps catalog reads out of the faults.
    PRODUCT_CACHE_TTL_MS: '600000',
    OUTBOX_POLL_INTERVAL_MS: '100',
  },
  inventory: {
    LOG_LEVEL: 'warn',
    CONSUMER_RETRY_DELAY_MS: '500',
    CONSUMER_MAX_ATTEMPTS: '3',
  },
  payment: {
    LOG_LEVEL: 'warn',
  },
  notification: {
    LOG_LEVEL: 'warn',
    CONSUMER_RETRY_DELAY_MS: '500',
    CONSUMER_MAX_ATTEMPTS: '3',
  },
};

/** base ⊕ overrides, per service. */
export function mergeEnv(
  base: Readonly<Record<string, string>>,
  ...layers: ReadonlyArray<Readonly<Record<string, string>> | undefined>
): Record<string, string> {
  return Object.assign({}, base, ...layers.filter((layer) => layer !== undefined)) as Record<string, string>;
}

/**
 * The tuned env as one set of variables for `harness up`, each scoped to its service
 * (`ORDER__PAYMENT_TIMEOUT_MS=500`: see `scopedEnv` in @harness/runtime), so a system started
 * with it can be attached to: `env $(harness chaos --print-env) harness up`. Scoping keeps
 * order's INVENTORY_TIMEOUT_MS apart from the gateway's setting of the same name.
 */
export function tunedEnvForUp(): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const [service, env] of Object.entries(chaosTunedEnv)) {
    for (const [name, value] of Object.entries(env)) {
      if (name !== 'LOG_LEVEL') merged[`${service.toUpperCase()}__${name}`] = value;
    }
  }
  return merged;
}
