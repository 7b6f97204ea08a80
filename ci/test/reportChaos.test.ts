import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, REPO_ROOT } from '@harness/runtime';
import { collectReport } from '../src/report/buildReport.ts';

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
