import type { ChaosJournal } from './ChaosJournal.ts';

const escape = (text: string): string =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // XML 1.0 forbids most control characters.
    .replace(/[^\t\n\r\u0020-\uffff]/g, '');

/** JUnit XML: one test case per scenario run; a vacuous pass is a failure of type "vacuous". */
export function junitReport(journal: ChaosJournal): string {
  const runs = journal.runs;
  const failures = runs.filter((run) => run.status === 'failed' || run.status === 'vacuous').length;
  const skipped = runs.filter((run) => run.status === 'skipped').length;
  const seconds = (ms: number): string => (ms / 1000).toFixed(3);
  const cases = runs.map((run) => {
    const name = journal.options.repeat > 1 ? `${run.id} #${run.repeat}` : run.id;
    const open = `    <testcase classname="chaos" name="${escape(name)}" time="${seconds(run.durationMs)}">`;
    const message = escape(run.failures[0] ?? run.status);
    const body = escape([run.hypothesis, '', ...run.failures].join('\n'));
    if (run.status === 'skipped') return `${open}\n      <skipped message="${message}"/>\n    </testcase>`;
    if (run.status === 'failed' || run.status === 'vacuous') {
      return `${open}\n      <failure type="${run.status}" message="${message}">${body}</failure>\n    </testcase>`;
    }
    return `${open}</testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="chaos" tests="${runs.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(journal.durationMs)}">`,
    `  <testsuite name="chaos" tests="${runs.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(journal.durationMs)}" timestamp="${journal.startedAt}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
