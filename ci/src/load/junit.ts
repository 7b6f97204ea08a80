import type { ThresholdResult } from './k6Summary.ts';

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface JunitInput {
  /** e.g. `k6 smoke` */
  suite: string;
  thresholds: ThresholdResult[];
  seconds: number;
  /** A run that did not complete (k6 error, timeout): one errored test case saying why. */
  runError?: string;
}

interface Suite {
  xml: string;
  tests: number;
  failures: number;
  errors: number;
  seconds: number;
}

/** One test case per SLO threshold (a breached one is a failure). */
function suiteOf(input: JunitInput): Suite {
  const cases = input.thresholds.map((result) => {
    const name = escape(`${result.metric} ${result.expression}`);
    const head = `    <testcase classname="${escape(input.suite)}" name="${name}" time="0">`;
    if (result.ok) return `${head}</testcase>`;
    const seen = result.observed === undefined ? 'no observed value' : `observed ${result.observed}`;
    return `${head}\n      <failure message="threshold crossed: ${name} (${escape(seen)})" type="threshold"/>\n    </testcase>`;
  });
  if (input.runError !== undefined)
    cases.push(
      `    <testcase classname="${escape(input.suite)}" name="k6 run completes" time="${input.seconds.toFixed(3)}">\n      <error message="${escape(input.runError)}" type="run"/>\n    </testcase>`,
    );
  const failures = input.thresholds.filter((r) => !r.ok).length;
  const errors = input.runError === undefined ? 0 : 1;
  const tests = cases.length;
  const attrs = `name="${escape(input.suite)}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="0" time="${input.seconds.toFixed(3)}"`;
  const xml = [`  <testsuite ${attrs} timestamp="${new Date().toISOString()}">`, ...cases, '  </testsuite>'].join('\n');
  return { xml, tests, failures, errors, seconds: input.seconds };
}

/** A JUnit XML document with one test suite per run (profile), one test case per SLO threshold. */
export function junitXml(...runs: JunitInput[]): string {
  const suites = runs.map(suiteOf);
  const sum = (key: 'tests' | 'failures' | 'errors' | 'seconds'): number => suites.reduce((n, s) => n + s[key], 0);
  const name = runs.map((run) => run.suite).join(', ');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escape(name)}" tests="${sum('tests')}" failures="${sum('failures')}" errors="${sum('errors')}" skipped="0" time="${sum('seconds').toFixed(3)}">`,
    ...suites.map((suite) => suite.xml),
    '</testsuites>',
    '',
  ].join('\n');
}
