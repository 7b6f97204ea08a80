import type { ChaosService } from '../scenario/Scenario.ts';
import { chaosServices, tunedEnvOf } from './kitSystem.ts';

export type ServiceEnvOverrides = Partial<Record<ChaosService, Readonly<Record<string, string>>>>;

/**
 * The env every service of a chaos-owned system starts with, on top of what the topology gives
 * it: the config's `chaos.serviceEnv` (the same mechanisms as in production, on a shorter clock).
 * A scenario's own `serviceEnv` goes on top of this (its services restart when it changes).
 */
export function chaosTunedEnv(): Record<ChaosService, Readonly<Record<string, string>>> {
  return Object.fromEntries(chaosServices().map((service) => [service, tunedEnvOf(service)]));
}

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
 * one service's INVENTORY_TIMEOUT_MS apart from another's setting of the same name.
 */
export function tunedEnvForUp(): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const [service, env] of Object.entries(chaosTunedEnv())) {
    for (const [name, value] of Object.entries(env)) {
      if (name !== 'LOG_LEVEL') merged[`${service.toUpperCase()}__${name}`] = value;
    }
  }
  return merged;
}
