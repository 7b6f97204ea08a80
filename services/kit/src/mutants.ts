import { ConfigError } from './config/ConfigError.ts';
import type { Logger } from './observability/logger.ts';

/**
 * Mutants: switches that turn one resilience mechanism off, so that `harness mutate` can show the
 * chaos suite notices. Never a feature: off by default, honoured only in a process the harness
 * started (it sets HARNESS_STARTED_BY=harness in every service's environment), ignored with a
 * loud warning anywhere else. Mechanisms a setting already turns off (a breaker threshold, a
 * timeout, retry attempts, a bulkhead) have no switch here: the mutant sets that setting.
 */
export const MUTANTS_VARIABLE = 'HARNESS_MUTANTS';
/** Set by the harness's process starter in the environment of every service it starts. */
export const STARTED_BY_VARIABLE = 'HARNESS_STARTED_BY';
export const STARTED_BY_HARNESS = 'harness';

export const mutantNames = [
  /** payment: every charge and refund gets a key of its own, so a retry charges (refunds) again. */
  'idempotency-store-bypassed',
  /** order: a settled order's event is published straight to the broker after the update, not via the outbox. */
  'outbox-bypassed',
  /** kit consumer: an event id already processed is handled again (inventory, notification). */
  'consumer-dedupe-off',
  /** order: a cancelled saga undoes nothing (no stock release, no charge audit and refund). */
  'compensation-skipped',
  /** order: the saga recovery worker never starts (interrupted sagas are not resumed). */
  'recovery-worker-off',
  /** kit retry policy: every backoff wait is its full ceiling, without jitter. */
  'retry-jitter-off',
] as const;

export type MutantName = (typeof mutantNames)[number];

export interface MutantSwitches {
  /** The mutants in force in this process (empty unless the harness started it). */
  active: ReadonlySet<MutantName>;
  /** Names HARNESS_MUTANTS gave that are not in force because the harness did not start the process. */
  ignored: readonly MutantName[];
}

const isMutantName = (name: string): name is MutantName => (mutantNames as readonly string[]).includes(name);

/**
 * Reads HARNESS_MUTANTS (comma-separated names). An unknown name is a ConfigError naming the
 * variable and the allowed names; known names are in force only when HARNESS_STARTED_BY=harness.
 */
export function parseMutants(env: Readonly<Record<string, string | undefined>>): MutantSwitches {
  const names = (env[MUTANTS_VARIABLE] ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  const unknown = names.filter((name) => !isMutantName(name));
  if (unknown.length > 0) {
    throw new ConfigError([
      {
        variable: MUTANTS_VARIABLE,
        message: `names unknown mutant(s) ${unknown.map((name) => `"${name}"`).join(', ')}; allowed: ${mutantNames.join(', ')}`,
      },
    ]);
  }
  const known = [...new Set(names.filter(isMutantName))];
  const honoured = env[STARTED_BY_VARIABLE] === STARTED_BY_HARNESS;
  return honoured ? { active: new Set(known), ignored: [] } : { active: new Set(), ignored: known };
}

let current: ReadonlySet<MutantName> | undefined;

/**
 * Reads the switches of this process once, refuses unknown names (throws the ConfigError) and
 * says at warn level which mutant is in force, or that HARNESS_MUTANTS is ignored. `runUntilSignal`
 * calls it before the service starts.
 */
export function announceMutants(
  logger: Logger,
  env: Readonly<Record<string, string | undefined>> = process.env,
): MutantSwitches {
  const switches = parseMutants(env);
  current = switches.active;
  if (switches.ignored.length > 0) {
    logger.warn(
      { [MUTANTS_VARIABLE]: switches.ignored },
      `${MUTANTS_VARIABLE} IGNORED: this process was not started by the harness (${STARTED_BY_VARIABLE} is not "${STARTED_BY_HARNESS}"); mutants are for harness mutate only`,
    );
  }
  for (const name of switches.active) {
    logger.warn({ mutant: name }, `MUTANT ACTIVE: ${name} (a resilience mechanism is deliberately broken)`);
  }
  return switches;
}

/** Whether mutant `name` is in force in this process (read from process.env on first use). */
export function mutantActive(name: MutantName): boolean {
  if (current === undefined) {
    try {
      current = parseMutants(process.env).active;
    } catch {
      // An unknown name: announceMutants refuses to start the service; nothing is in force.
      current = new Set();
    }
  }
  return current.has(name);
}

/** Forgets what `announceMutants` or `mutantActive` read (tests). */
export function resetMutantsForTests(): void {
  current = undefined;
}
