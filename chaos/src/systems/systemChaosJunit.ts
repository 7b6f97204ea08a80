import type { SystemScenarioOutcome } from './runSystemScenario.ts';

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JUnit XML: one test case per scenario run, its failure naming every failed check, oracle and invariant. */
export function systemChaosJunit(system: string, outcomes: readonly SystemScenarioOutcome[]): string {
  const failed = outcomes.filter((outcome) => !outcome.passed);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="chaos ${escape(system)}" tests="${outcomes.length}" failures="${failed.length}">`,
    `  <testsuite name="chaos ${escape(system)}" tests="${outcomes.length}" failures="${failed.length}">`,
  ];
  for (const outcome of outcomes) {
    lines.push(
      `    <testcase classname="chaos.${escape(system)}" name="${escape(outcome.id)}" time="${(outcome.durationMs / 1000).toFixed(3)}">`,
    );
    if (!outcome.passed) {
      const reasons = [
        ...(outcome.error ? [`error: ${outcome.error}`] : []),
        ...outcome.checks.filter((one) => !one.passed).map((one) => `${one.name}: ${one.detail}`),
        ...outcome.oracles
          .filter((oracle) => !oracle.passed)
          .flatMap((oracle) =>
            oracle.checks.filter((one) => !one.passed).map((one) => `${oracle.oracle} ${one.name}: ${one.detail}`),
          ),
        ...outcome.invariants.filter((one) => !one.holds).map((one) => `invariant ${one.name}: ${one.detail}`),
      ];
      lines.push(`      <failure message="${escape(reasons[0] ?? 'failed')}">${escape(reasons.join('\n'))}</failure>`);
    }
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}
