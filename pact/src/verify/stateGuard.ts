import type { VerifierOptions } from '@pact-foundation/pact';

type StateHandlers = NonNullable<VerifierOptions['stateHandlers']>;

/** A handler that creates one provider state; it receives the state's params. */
export type ProviderStateSetup = (params: Record<string, unknown>) => Promise<Record<string, unknown> | void>;

export interface GuardedStates {
  stateHandlers: StateHandlers;
  /** Failures while setting up states (thrown handlers, states without a handler). */
  failures: string[];
}

/**
 * Pact's verifier only logs a state handler that throws, and only warns about a state without a
 * handler, then verifies the interaction anyway: a false pass. These wrappers record both, and
 * verifyProviderLinks fails the run when any was recorded. Teardown is not used: each setup
 * creates fresh state with new ids.
 */
export function guardStateHandlers(
  handlers: Readonly<Record<string, ProviderStateSetup>>,
  statesInPacts: readonly string[],
): GuardedStates {
  const failures: string[] = [];
  for (const state of statesInPacts) {
    if (!Object.hasOwn(handlers, state)) failures.push(`no state handler for provider state "${state}"`);
  }
  const stateHandlers: StateHandlers = {};
  for (const [state, setup] of Object.entries(handlers)) {
    stateHandlers[state] = {
      setup: async (params: unknown) => {
        try {
          const values = await setup(isRecord(params) ? params : {});
          return values ? (values as never) : undefined;
        } catch (error) {
          failures.push(`state handler "${state}" threw: ${error instanceof Error ? error.message : String(error)}`);
          throw error;
        }
      },
    };
  }
  return { stateHandlers, failures };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
