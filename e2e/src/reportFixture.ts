import fs from 'node:fs';
import path from 'node:path';

const junitXml = (name: string, tests: number, failures: number): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${name}" tests="${tests}" failures="${failures}" errors="0" skipped="0"></testsuites>\n`;

const cell = (ok: boolean, detail: string) => ({ status: ok ? 'pass' : 'fail', detail });

/**
 * A reports/ folder as the stages would leave it after a partial run: unit tests, contracts (L5
 * red), two chaos journals (L5 passed; the broker of order, so L6 and L7, failed) and one k6
 * profile; no Playwright report, no benchmark.
 */
export function writeReportFixture(dir: string): void {
  const write = (relative: string, content: string): void => {
    fs.mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
    fs.writeFileSync(path.join(dir, relative), content);
  };
  write('junit/vitest.xml', junitXml('vitest tests', 12, 0));
  const rows = ['L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7', 'L8', 'L10'].map((id) => ({
    id,
    ok: id !== 'L5',
    cells: {
      consumerPact: cell(true, '3 interactions'),
      providerVerified: cell(id !== 'L5', id === 'L5' ? 'POST /charges answered 500' : '3/3 interactions verified'),
    },
  }));
  write('contracts/link-matrix.json', JSON.stringify({ generatedAt: '2026-01-01T00:00:00Z', ok: false, rows }));
  write('contracts/link-matrix.html', '<section>matrix</section>');
  write(
    'chaos/payment-latency/journal.json',
    JSON.stringify({ scenario: { name: 'payment-latency' }, verdict: 'passed', faults: [{ target: { link: 'L5' } }] }),
  );
  write('chaos/payment-latency/journal.html', '<h1>payment-latency</h1>');
  write(
    'chaos/broker-restart/journal.json',
    JSON.stringify({ scenario: 'broker-restart', passed: false, faults: [{ target: { broker: 'order' } }] }),
  );
  write(
    'chaos/graphql-latency/journal.json',
    JSON.stringify({ scenario: { name: 'graphql-latency' }, verdict: 'passed', faults: [{ target: { link: 'L10' } }] }),
  );
  write('chaos/graphql-latency/journal.html', '<h1>graphql-latency</h1>');
  write('chaos/junit.xml', junitXml('chaos', 2, 1));
  write('load/smoke/report.html', '<h1>smoke</h1>');
  write('load/smoke/summary.json', '{}');
  write('load/smoke/junit.xml', junitXml('k6 smoke', 7, 0));
}
