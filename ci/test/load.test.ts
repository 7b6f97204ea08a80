import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRunState, type RunState } from '@harness/runtime';
import { harnessInProcess, isolateRunState, tempDir } from './loadCli.ts';
import { startStubSystem, type StubServer } from './loadStubs.ts';

const API_KEY = 'demo_load_test_key';
let stub: StubServer;
let stateDir: string;

beforeAll(async () => {
  stateDir = isolateRunState();
  stub = await startStubSystem({ apiKey: API_KEY });
});
afterAll(async () => {
  await stub.close();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

function readJson(file: string): { metrics: Record<string, { values: Record<string, number> }> } {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as { metrics: Record<string, { values: Record<string, number> }> };
}

describe('harness load', () => {
  it('runs the real k6 against the API and writes the summary JSON, the HTML dashboard and JUnit XML', async () => {
    const reports = tempDir('load-smoke-');
    const before = { ...stub.counts };
    const result = await harnessInProcess([
      'load',
      'smoke',
      '--duration',
      '3s',
      // Latency is not what this test is about, and the machine may be busy with other tests.
      '--p95',
      '2000',
      '--p99',
      '5000',
      '--base-url',
      stub.url,
      '--api-key',
      API_KEY,
      '--reports-dir',
      reports,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('load smoke: passed');
    expect(result.stdout).toMatch(/orders\s+.*\bconfirmed \d+/);

    const summary = readJson(path.join(reports, 'summary.json'));
    expect(summary.metrics['orders{outcome:confirmed}']?.values.count).toBeGreaterThan(0);
    expect(summary.metrics.order_confirmed_latency?.values['p(95)']).toBeGreaterThan(0);
    const html = fs.readFileSync(path.join(reports, 'report.html'), 'utf8');
    expect(html).toMatch(/<html/i);
    expect(html.length).toBeGreaterThan(10_000);
    const junit = fs.readFileSync(path.join(reports, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuites name="k6 smoke" tests="\d+" failures="0" errors="0"/);
    expect(junit).toContain('name="http_req_duration p(95)&lt;2000"');

    // The journey browsed, ordered and looked at each confirmed order.
    expect(stub.counts.products - before.products).toBeGreaterThan(1);
    expect(stub.counts.orders - before.orders).toBeGreaterThan(0);
    expect(stub.counts.views - before.views).toBeGreaterThan(0);
  });

  it('exits non-zero and reports the breach in JUnit when a threshold is impossible (p95 < 0.001 ms)', async () => {
    const reports = tempDir('load-impossible-');
    const result = await harnessInProcess([
      'load',
      'smoke',
      '--duration',
      '2s',
      '--p95',
      '0.001',
      '--base-url',
      stub.url,
      '--api-key',
      API_KEY,
      '--reports-dir',
      reports,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('load smoke: FAILED');
    expect(result.stdout).toMatch(/SLO FAILED http_req_duration p\(95\)<0\.001/);
    const junit = fs.readFileSync(path.join(reports, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/failures="[1-9]\d*"/);
    expect(junit).toContain('<failure message="threshold crossed: http_req_duration p(95)&lt;0.001');
  });

  it('fails with the reason when the API refuses the key, without running the load', async () => {
    const reports = tempDir('load-badkey-');
    const before = stub.counts.orders;
    const result = await harnessInProcess([
      'load',
      'smoke',
      '--duration',
      '2s',
      '--base-url',
      stub.url,
      '--api-key',
      'wrong',
      '--reports-dir',
      reports,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('preflight GET');
    expect(result.stderr).toContain('answered 401');
    expect(stub.counts.orders).toBe(before);
    expect(fs.readFileSync(path.join(reports, 'junit.xml'), 'utf8')).toMatch(/<error message="the run was aborted/);
  });

  it('follows an order answered 202 by polling it until it is confirmed', async () => {
    const reports = tempDir('load-poll-');
    const before = { ...stub.counts };
    // Each order waits for two polls: the latency SLOs are not what this test is about.
    process.env.SLOW_RATIO = '1';
    process.env.DECLINE_RATIO = '0';
    try {
      const result = await harnessInProcess([
        'load',
        'smoke',
        '--duration',
        '2s',
        '--p95',
        '10000',
        '--base-url',
        stub.url,
        '--api-key',
        API_KEY,
        '--reports-dir',
        reports,
      ]);
      expect(result.code).toBe(0);
    } finally {
      delete process.env.SLOW_RATIO;
      delete process.env.DECLINE_RATIO;
    }
    const summary = readJson(path.join(reports, 'summary.json'));
    const placed = stub.counts.orders - before.orders;
    expect(placed).toBeGreaterThan(0);
    // The stub confirms a 202 order on its second poll.
    expect(summary.metrics.order_polls?.values.count).toBe(2 * placed);
    expect(summary.metrics['orders{outcome:confirmed}']?.values.count).toBe(placed);
  });

  it('says clearly that nothing runs when there is no running system and no --base-url', async () => {
    fs.rmSync(path.join(stateDir, 'run.json'), { force: true });
    const result = await harnessInProcess(['load', 'smoke']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('harness load: no running system');
    expect(result.stderr).toContain('npx harness up');
  });

  it('takes the gateway URL and the API key from the running system', async () => {
    const state: RunState = {
      id: 'load-test',
      runDir: stateDir,
      supervisorPid: process.pid,
      startedAt: new Date().toISOString(),
      status: 'ready',
      processes: [],
      secrets: { demoApiKey: API_KEY, readOnlyApiKey: 'ro', serviceToken: 'svc' },
      infra: {
        services: { gateway: { url: stub.url } },
        toxiproxy: { url: 'http://127.0.0.1:1' },
      } as unknown as NonNullable<RunState['infra']>,
    };
    writeRunState(state);
    const reports = tempDir('load-attached-');
    try {
      const result = await harnessInProcess([
        'load',
        'smoke',
        '--duration',
        '2s',
        '--p95',
        '2000',
        '--p99',
        '5000',
        '--reports-dir',
        reports,
      ]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`→ ${stub.url} (the running system)`);
    } finally {
      fs.rmSync(path.join(stateDir, 'run.json'), { force: true });
    }
  });

  it('refuses to send load anywhere but this machine', async () => {
    const result = await harnessInProcess(['load', 'smoke', '--base-url', 'http://10.0.0.1:8080', '--api-key', 'k']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('must be a loopback address');
  });

  it('names the profiles when given an unknown one', async () => {
    const result = await harnessInProcess(['load', 'nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /one of: smoke, average, stress, spike, soak, breakpoint, grpc-stock, graphql, chaos-payment-latency, ci/,
    );
  });
});
