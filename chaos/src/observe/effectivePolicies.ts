import type { ChaosService } from '../scenario/Scenario.ts';
import { chaosServices } from '../system/kitSystem.ts';
import type { ChaosSystem } from '../system/ChaosSystem.ts';

/** The resilience settings of one client → dependency policy, as the oracles need them. */
export interface PolicySettings {
  timeoutMs: number;
  retry: { maxAttempts: number; initialDelayMs: number; maxDelayMs: number; maxRetryAfterMs: number };
  breaker: { threshold: number; halfOpenAfterMs: number };
  bulkhead: { limit: number; queue: number };
}

/**
 * The settings every service's policies run with, as the services report them, keyed
 * `service → dependency`; `problems` names the services that could not be asked.
 */
export interface EffectivePolicies {
  policies: Record<string, PolicySettings>;
  problems: string[];
}

export const policyKey = (service: string, dependency: string): string => `${service} → ${dependency}`;

const ATTEMPTS = 3;
const ATTEMPT_TIMEOUT_MS = 2_000;

/**
 * Asks every service for the effective settings of its resilience policies: the kit serves them
 * under `policies` at `GET /admin/resilience` (behind X-Service-Token). `since=now` keeps the
 * event log out of the answer. Read after the scenario's env is applied, so a restarted service
 * reports what it runs with now.
 */
export async function readEffectivePolicies(
  system: Pick<ChaosSystem, 'url' | 'secrets'>,
  services: readonly ChaosService[] = chaosServices(),
): Promise<EffectivePolicies> {
  const result: EffectivePolicies = { policies: {}, problems: [] };
  await Promise.all(
    services.map(async (service) => {
      const answer = await askService(system, service);
      if (typeof answer === 'string') {
        result.problems.push(`${service}: ${answer}`);
        return;
      }
      for (const [dependency, value] of Object.entries(answer)) {
        const settings = parsePolicySettings(value);
        if (settings) result.policies[policyKey(service, dependency)] = settings;
        else result.problems.push(`${service}: unreadable settings for ${dependency}`);
      }
    }),
  );
  result.problems.sort();
  return result;
}

/** The `policies` member of a service's /admin/resilience, or why it could not be read. */
async function askService(
  system: Pick<ChaosSystem, 'url' | 'secrets'>,
  service: ChaosService,
): Promise<Record<string, unknown> | string> {
  let failure = 'not asked';
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      const response = await fetch(`${system.url(service)}/admin/resilience?since=${Date.now()}`, {
        headers: { 'x-service-token': system.secrets.serviceToken },
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      });
      if (!response.ok) {
        failure = `GET /admin/resilience answered ${response.status}`;
        if (response.status < 500) return failure;
      } else {
        const body = (await response.json()) as { policies?: unknown };
        if (isRecord(body.policies)) return body.policies;
        return 'GET /admin/resilience has no `policies`';
      }
    } catch (error) {
      failure = `GET /admin/resilience failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
  }
  return failure;
}

/** The oracles' view of a policy as the kit reports it; undefined when a setting is missing. */
export function parsePolicySettings(value: unknown): PolicySettings | undefined {
  let complete = true;
  const read = (path: string): number => {
    let current: unknown = value;
    for (const part of path.split('.')) current = isRecord(current) ? current[part] : undefined;
    if (typeof current === 'number' && Number.isFinite(current)) return current;
    complete = false;
    return Number.NaN;
  };
  const settings: PolicySettings = {
    timeoutMs: read('timeoutMs'),
    retry: {
      maxAttempts: read('retry.maxAttempts'),
      initialDelayMs: read('retry.initialDelayMs'),
      maxDelayMs: read('retry.maxDelayMs'),
      maxRetryAfterMs: read('retry.maxRetryAfterMs'),
    },
    breaker: { threshold: read('breaker.threshold'), halfOpenAfterMs: read('breaker.halfOpenAfterMs') },
    bulkhead: { limit: read('bulkhead.limit'), queue: read('bulkhead.queue') },
  };
  return complete ? settings : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
