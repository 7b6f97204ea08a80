import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, REPO_ROOT } from '@harness/runtime';
import { collectReport } from '../src/report/buildReport.ts';
import { renderReportHtml } from '../src/report/reportHtml.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A reports dir holding one `harness chaos` run as the runner writes it: journal.json + index.html. */
function reportsWithChaosRun(runs: unknown[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-chaos-'));
  dirs.push(dir);
  const run = path.join(dir, 'chaos', '2026-11-22T10-00-00-000Z');
  fs.mkdirSync(run, { recursive: true });
  fs.writeFileSync(path.join(run, 'journal.json'), JSON.stringify({ runId: 'r', summary: {}, runs }));
  fs.writeFileSync(path.join(run, 'index.html'), '<html></html>');
  return dir;
}

describe('combined report: chaos journals', () => {
  it("counts each scenario run of the runner's journal and marks the links it exercised", () => {
    const reportsDir = reportsWithChaosRun([
      { id: 'payment-latency-opens-breaker', status: 'passed', links: ['L5'], faults: [] },
      { id: 'inventory-reset-peer-retries', status: 'failed', links: ['L4'], faults: [] },
      { id: 'broker-outage-outbox-holds', status: 'passed', links: ['L6', 'L7'], faults: [] },
    ]);
    const report = collectReport({ reportsDir });
    const chaos = report.stages.find((stage) => stage.id === 'chaos');
    expect(chaos).toMatchObject({ status: 'failed', detail: '3 scenarios: 2 passed, 1 failed or vacuous' });
    const verdicts = Object.fromEntries(report.links.map((link) => [link.id, link.chaosVerdict]));
    expect(verdicts).toMatchObject({ L4: 'failed', L5: 'passed', L6: 'passed', L7: 'passed', L1: 'not run' });
    expect(report.chaos[0]?.htmlPath).toBe(path.join('chaos', '2026-11-22T10-00-00-000Z', 'index.html'));
  });
});

describe('combined report: one invocation, with the history of the working copy kept apart', () => {
  it('counts only the journals and JUnit files written since the invocation started; earlier runs are history', () => {
    const reportsDir = reportsWithChaosRun([
      { id: 'inventory-reset-peer-retries', status: 'failed', links: ['L4'] },
      { id: 'payment-latency-opens-breaker', status: 'failed', links: ['L5'] },
    ]);
    const old = new Date('2026-11-22T10:00:00Z');
    const oldRun = path.join(reportsDir, 'chaos', '2026-11-22T10-00-00-000Z');
    for (const file of ['journal.json', 'index.html']) fs.utimesSync(path.join(oldRun, file), old, old);
    fs.mkdirSync(path.join(reportsDir, 'junit'), { recursive: true });
    const failedSuite = '<testsuites name="vitest" tests="3" failures="3"></testsuites>';
    fs.writeFileSync(path.join(reportsDir, 'junit', 'vitest.xml'), failedSuite);
    fs.utimesSync(path.join(reportsDir, 'junit', 'vitest.xml'), old, old);

    const since = new Date('2026-12-01T00:00:00Z');
    const nothingNew = collectReport({ reportsDir, since });
    expect(nothingNew.stages.find((stage) => stage.id === 'chaos')?.status).toBe('not run');
    expect(nothingNew.stages.find((stage) => stage.id === 'tests')?.status).toBe('not run');
    expect(nothingNew.links.find((link) => link.id === 'L5')?.chaosVerdict).toBe('not run');
    expect(nothingNew.chaosHistory.map((run) => [run.scenario, run.at])).toEqual([
      ['inventory-reset-peer-retries', old.toISOString()],
      ['payment-latency-opens-breaker', old.toISOString()],
    ]);
    const page = renderReportHtml(nothingNew);
    expect(page).toContain('No chaos run in this invocation.');
    expect(page).toContain('Earlier chaos runs (history)');

    const newRun = path.join(reportsDir, 'chaos', '2026-12-03T10-00-00-000Z');
    fs.mkdirSync(newRun, { recursive: true });
    fs.writeFileSync(
      path.join(newRun, 'journal.json'),
      JSON.stringify({ runs: [{ id: 'payment-latency-opens-breaker', status: 'passed', links: ['L5'] }] }),
    );
    const withRun = collectReport({ reportsDir, since });
    expect(withRun.stages.find((stage) => stage.id === 'chaos')).toMatchObject({
      status: 'passed',
      detail: '1 scenarios: 1 passed, 0 failed or vacuous',
    });
    expect(withRun.links.find((link) => link.id === 'L4')?.chaosVerdict).toBe('not run');
    expect(withRun.chaosHistory).toHaveLength(2);
    // Without `since` (a standalone `harness report`) every file counts, as before.
    expect(collectReport({ reportsDir }).stages.find((stage) => stage.id === 'chaos')?.status).toBe('failed');
  });
});

describe('combined report: a system of its own', () => {
  it("fills the link matrix of a config system's links from its contract matrix and chaos journal", async () => {
    const config = await loadConfig(path.join(REPO_ROOT, 'examples', 'py-shop', 'harness.config.ts'));
    const reportsDir = reportsWithChaosRun([{ id: 'payments-down-opens-breaker', status: 'passed', links: ['P1'] }]);
    fs.mkdirSync(path.join(reportsDir, 'contracts'), { recursive: true });
    const cell = { status: 'pass', detail: 'ok' };
    const row = (id: string): unknown => ({ id, ok: true, cells: { consumerPact: cell, providerVerified: cell } });
    fs.writeFileSync(
      path.join(reportsDir, 'contracts', 'link-matrix.json'),
      JSON.stringify({ generatedAt: 'now', ok: true, rows: [row('P1'), row('M1')] }),
    );
    const report = collectReport({ reportsDir, topology: config.topology });
    const links = Object.fromEntries(report.links.map((link) => [link.id, [link.contractVerdict, link.chaosVerdict]]));
    expect(links).toEqual({ P1: ['passed', 'passed'], M1: ['passed', 'not run'] });
  });
});

describe('combined report: the resilience coverage matrix', () => {
  it("shows each system's explore summary, failed when a cell was violated, with a link to its matrix", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-explore-'));
    dirs.push(dir);
    const write = (relative: string, summary: Record<string, number>): void => {
      fs.mkdirSync(path.join(dir, relative), { recursive: true });
      fs.writeFileSync(path.join(dir, relative, 'matrix.json'), JSON.stringify({ system: 'py-shop', summary }));
      fs.writeFileSync(path.join(dir, relative, 'matrix.html'), '<html></html>');
    };
    expect(collectReport({ reportsDir: dir }).stages.find((stage) => stage.id === 'explore')?.status).toBe('not run');
    write('systems/py-shop/explore', { survived: 6, violated: 1, vacuous: 0, error: 0 });
    const explore = collectReport({ reportsDir: dir }).stages.find((stage) => stage.id === 'explore');
    expect(explore).toMatchObject({
      status: 'failed',
      detail: 'py-shop: 6 survived, 1 violated, 0 vacuous, 0 errors',
      links: [{ label: 'py-shop matrix', path: 'systems/py-shop/explore/matrix.html' }],
    });
    write('systems/py-shop/explore', { survived: 7, violated: 0, vacuous: 0, error: 0 });
    expect(collectReport({ reportsDir: dir }).stages.find((stage) => stage.id === 'explore')?.status).toBe('passed');
    // A mutant's exploration fails on purpose: neither the stage nor the drawn matrices count it.
    write('systems/py-shop/mutate/explore/breaker-off', { survived: 5, violated: 2, vacuous: 0, error: 0 });
    expect(collectReport({ reportsDir: dir }).stages.find((stage) => stage.id === 'explore')?.status).toBe('passed');
  });

  it('draws each matrix (rows × fault classes, coloured, what failed on hover) and each mutation score', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-coverage-'));
    dirs.push(dir);
    fs.mkdirSync(path.join(dir, 'systems', 'reference-shop', 'explore'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'systems', 'reference-shop', 'explore', 'matrix.json'),
      JSON.stringify({
        system: 'reference-shop',
        rows: ['L5', 'order'],
        classes: ['latency', 'killed'],
        cells: [
          { row: 'L5', fault: 'latency', verdict: 'survived', failed: [] },
          { row: 'order', fault: 'killed', verdict: 'violated', failed: ['invariant orders-terminal: 2 rows'] },
        ],
        pairs: [{ id: 'L5 latency + order killed', verdict: 'survived' }],
        pairsPruned: 3,
        durationMs: 20_000,
        summary: { survived: 2, violated: 1, vacuous: 0, error: 0 },
      }),
    );
    fs.mkdirSync(path.join(dir, 'mutate'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'mutate', 'score.json'),
      JSON.stringify({
        system: 'reference-shop',
        stage: 'chaos',
        killed: 1,
        total: 2,
        mutants: [
          { name: 'breaker-off', killed: true, by: ['payment-latency-opens-breaker: breaker opens'] },
          { name: 'dedupe-off', killed: false, by: ['every scenario still passed'] },
        ],
      }),
    );
    const report = collectReport({ reportsDir: dir });
    expect(report.coverage).toHaveLength(1);
    expect(report.mutation[0]).toMatchObject({ killed: 1, total: 2, stage: 'chaos' });
    const html = renderReportHtml(report);
    expect(html).toContain('<table class="coverage" data-system="reference-shop">');
    expect(html).toContain('title="invariant orders-terminal: 2 rows">violated</td>');
    // No cell for L5 killed: an empty square, not a verdict.
    expect(html).toMatch(/<th>L5<\/th><td class="cov"[^>]*>survived<\/td><td class="cov-none"><\/td>/);
    expect(html).toContain('2 survived, 1 violated, 0 vacuous, 0 errors in 20 s; pairs: 1 run (1 survived), 3 pruned');
    expect(html).toContain('reference-shop: mutation score 1/2 (against chaos)');
    expect(html).toMatch(/<tr class="failed"><td>dedupe-off<\/td><td class="verdict">survived<\/td>/);
  });
});

describe('combined report: the mutation score', () => {
  it('shows killed / total per system, failed when a mutant survived', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-mutate-'));
    dirs.push(dir);
    fs.mkdirSync(path.join(dir, 'mutate'), { recursive: true });
    const write = (mutants: Array<{ name: string; killed: boolean }>): void =>
      fs.writeFileSync(
        path.join(dir, 'mutate', 'score.json'),
        JSON.stringify({
          system: 'reference-shop',
          killed: mutants.filter((m) => m.killed).length,
          total: mutants.length,
          baseline: 'skipped',
          mutants,
        }),
      );
    write([
      { name: 'breaker-off', killed: true },
      { name: 'retries-off', killed: false },
    ]);
    expect(collectReport({ reportsDir: dir }).stages.find((stage) => stage.id === 'mutate')).toMatchObject({
      status: 'failed',
      detail: 'reference-shop: 1/2 killed (survived: retries-off)',
    });
    write([{ name: 'breaker-off', killed: true }]);
    expect(collectReport({ reportsDir: dir }).stages.find((stage) => stage.id === 'mutate')?.status).toBe('passed');
  });
});
