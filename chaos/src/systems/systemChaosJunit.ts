import { junitSuite } from '../report/junitSuite.ts';
import type { SystemScenarioOutcome } from './runSystemScenario.ts';

/** JUnit XML: one test case per scenario run, its failure naming every failed check, oracle and invariant. */
export function systemChaosJunit(system: string, outcomes: readonly SystemScenarioOutcome[]): string {
  return junitSuite(
    `chaos ${system}`,
    outcomes.map((outcome) => {
      const reasons = outcome.passed
        ? []
        : [
            ...(outcome.error ? [`error: ${outcome.error}`] : []),
            ...outcome.checks.filter((one) => !one.passed).map((one) => `${one.name}: ${one.detail}`),
            ...outcome.oracles
              .filter((oracle) => !oracle.passed)
              .flatMap((oracle) =>
                oracle.checks.filter((one) => !one.passed).map((one) => `${oracle.oracle} ${one.name}: ${one.detail}`),
              ),
            ...outcome.invariants.filter((one) => !one.holds).map((one) => `invariant ${one.name}: ${one.detail}`),
          ];
      return {
        classname: `chaos.${system}`,
        name: outcome.id,
        seconds: outcome.durationMs / 1000,
        ...(outcome.passed ? {} : { failure: { message: reasons[0] ?? 'failed', text: reasons.join('\n') } }),
      };
    }),
  );
}
