/** One test case of a stage's JUnit report. */
export interface JunitCase {
  suite: string;
  name: string;
  seconds: number;
  /** The failure message; undefined when it passed. */
  failure: string | undefined;
}

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JUnit XML with one testsuite per suite name, in the order the cases came. */
export function junitXml(name: string, cases: readonly JunitCase[]): string {
  const suites = [...new Set(cases.map((one) => one.suite))];
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escape(name)}" tests="${cases.length}" failures="${cases.filter((one) => one.failure !== undefined).length}">`,
  ];
  for (const suite of suites) {
    const own = cases.filter((one) => one.suite === suite);
    const failures = own.filter((one) => one.failure !== undefined).length;
    lines.push(`  <testsuite name="${escape(suite)}" tests="${own.length}" failures="${failures}">`);
    for (const one of own) {
      lines.push(
        `    <testcase classname="${escape(suite)}" name="${escape(one.name)}" time="${one.seconds.toFixed(3)}">`,
      );
      if (one.failure !== undefined)
        lines.push(
          `      <failure message="${escape(one.failure.split('\n')[0] ?? '')}">${escape(one.failure)}</failure>`,
        );
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
