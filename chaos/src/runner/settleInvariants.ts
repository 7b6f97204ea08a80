import type { InvariantContext, InvariantResult } from '../invariants/Invariant.ts';
import type { InvariantName } from '../scenario/Scenario.ts';
import { kitInvariants } from '../system/kitSystem.ts';
import { sleep } from '../workload/runWorkload.ts';

/**
 * Checks the invariants: the ones that need time to hold (sagas settling, outbox draining,
 * notifications arriving) are re-checked until they hold or `deadlineMs` passes; the others once.
 * A check that throws is a failed check, not a crash.
 */
export async function settleInvariants(
  names: readonly InvariantName[],
  context: InvariantContext,
  deadlineMs: number,
  signal?: AbortSignal,
): Promise<InvariantResult[]> {
  const invariants = kitInvariants();
  const run = async (name: InvariantName): Promise<InvariantResult> => {
    try {
      const invariant = invariants[name];
      if (!invariant) throw new Error(`unknown invariant ${name}`);
      return await invariant.check(context);
    } catch (error) {
      return {
        name,
        passed: false,
        checked: 'could not check',
        violations: [error instanceof Error ? error.message : String(error)],
      };
    }
  };
  return Promise.all(
    names.map(async (name) => {
      let outcome = await run(name);
      while (!outcome.passed && invariants[name]?.settles === true && Date.now() < deadlineMs && !signal?.aborted) {
        await sleep(400, signal);
        outcome = await run(name);
      }
      return outcome;
    }),
  );
}
