/** One JUnit test case: a failure (message and text) or a skip marks it; neither means it passed. */
export interface JunitCase {
  classname: string;
  name: string;
  seconds: number;
  failure?: { message: string; text?: string };
  skipped?: string;
}

export const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A JUnit XML document with one suite named `suite` holding `cases`. */
export function junitSuite(suite: string, cases: readonly JunitCase[]): string {
  const failures = cases.filter((c) => c.failure).length;
  const skipped = cases.filter((c) => c.skipped !== undefined).length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXml(suite)}" tests="${cases.length}" failures="${failures}">`,
    `  <testsuite name="${escapeXml(suite)}" tests="${cases.length}" failures="${failures}" skipped="${skipped}">`,
  ];
  for (const c of cases) {
    lines.push(
      `    <testcase classname="${escapeXml(c.classname)}" name="${escapeXml(c.name)}" time="${c.seconds.toFixed(3)}">`,
    );
    if (c.failure)
      lines.push(
        c.failure.text === undefined
          ? `      <failure message="${escapeXml(c.failure.message)}"/>`
          : `      <failure message="${escapeXml(c.failure.message)}">${escapeXml(c.failure.text)}</failure>`,
      );
    if (c.skipped !== undefined) lines.push(`      <skipped message="${escapeXml(c.skipped)}"/>`);
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}
