import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort, writeRunState, type RunState } from '@harness/runtime';
import type { BenchReport } from '../src/load/benchRun.ts';
import { harnessInProcess, isolateRunState, tempDir } from './loadCli.ts';
import { startStubSystem, type StubServer } from './loadStubs.ts';

/**
 * `harness bench` end to end on a stand-in run: the stub answers as gateway and as order service,
 * the "L1" proxy is a real Toxiproxy proxy in front of it, pgbench runs on the test run's real
 * PostgreSQL, and the run's process list names a real process whose memory is measured.
 */
const API_KEY = 'demo_bench_key';
const SERVICE_TOKEN = 'svc_bench_token';
const proxyName = `bench-test-l1-${randomBytes(3).toString('hex')}`;
let stub: StubServer;
let toxiproxyUrl: string;
let member: ChildProcess;
let reports: string;

beforeAll(async () => {
  isolateRunState();
  reports = tempDir('bench-reports-');
  const infra = inject('infra');
  toxiproxyUrl = infra.toxiproxy.url;
  stub = await startStubSystem({ apiKey: API_KEY, serviceToken: SERVICE_TOKEN });
  const listen = `127.0.0.1:${await freePort()}`;
  await fetch(`${toxiproxyUrl}/proxies`, {
    method: 'POST',
    body: JSON.stringify({ name: proxyName, listen, upstream: new URL(stub.url).host }),
  });
  member = spawn('sleep', ['120'], { stdio: 'ignore' });
  const state = {
    id: 'bench-test',
    runDir: reports,
    supervisorPid: process.pid,
    startedAt: new Date().toISOString(),
    status: 'ready',
    processes: [{ name: 'member', pid: member.pid ?? 0, match: 'sleep' }],
    secrets: { demoApiKey: API_KEY, readOnlyApiKey: 'ro', serviceToken: SERVICE_TOKEN },
    infra: {
      postgres: infra.postgres,
      toxiproxy: infra.toxiproxy,
      services: { gateway: { url: stub.url }, order: { url: stub.url } },
      proxies: [
        {
          name: proxyName,
          kind: 'link',
          from: 'storefront',
          to: 'gateway',
          link: 'L1',
          listen,
          upstream: new URL(stub.url).host,
        },
      ],
    },
  } as unknown as RunState;
  writeRunState(state);
});

afterAll(async () => {
  member.kill('SIGKILL');
  await fetch(`${toxiproxyUrl}/proxies/${proxyName}`, { method: 'DELETE' });
  await stub.close();
});

const quick = [
  ...['--rate', '20', '--duration', '2s', '--vus', '4', '--ceiling-duration', '1s', '--pgbench-seconds', '1'],
  ...['--steps', '10,20', '--step-duration', '2s', '--warmup', '0s', '--cpu-profile-duration', '2s'],
  ...['--rest-after-load', '1s'],
];

describe('harness bench', () => {
  it('measures throughput, latency, memory, CPU, capacity at SLO and the ratios in one run, and saves the baseline', async () => {
    const baseline = path.join(reports, 'baseline.json');
    const before = { ...stub.counts };
    const result = await harnessInProcess([
      'bench',
      ...quick,
      '--reports-dir',
      reports,
      '--baseline',
      baseline,
      '--save-baseline',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/confirmed\s+\d+(\.\d)? orders\/s/);
    expect(result.stdout).toMatch(/ratios\s+gateway\/order [\d.]+.*pgbench tps/);
    expect(result.stdout).toMatch(/toxiproxy\s+L1 hop only: .* = [\d.]+/);
    expect(result.stdout).toContain('the whole-system Toxiproxy A/B needs `harness bench --start`');
    expect(result.stdout).toMatch(/component\s+cpu s\s+% core\s+ms\/order/);
    expect(result.stdout).toMatch(/CPU ceiling\s+[\d.]+ orders\/s/);
    expect(result.stdout).toMatch(/capacity\s+[\d.]+ confirmed\/s at SLO \(step 20\/s/);
    expect(result.stdout).toMatch(/round trips\s+per confirmed order during the main phase/);
    // The stand-in has no profiling route: each service is named with the reason, nothing is invented.
    expect(result.stdout).toMatch(/profiles\s+CPU per confirmed order at 20\/s for 2 s and V8/);
    expect(result.stdout).toMatch(/gateway\s+not profiled: POST \/admin\/cpu-profile answered 4\d\d/);
    expect(result.stdout).not.toContain('flame graphs and .cpuprofile files');
    // Attached to a stand-in run: no whole-system A/B, so that target cannot be judged.
    expect(result.stdout).toMatch(/targets\s+.*cpu ≤4 ms\/order.*n\/a\s+Toxiproxy A\/B ≥0\.9/);

    const report = JSON.parse(fs.readFileSync(path.join(reports, 'latest.json'), 'utf8')) as BenchReport;
    // --rest-after-load: the memory at rest is read again after 1 s, not the default 15 s.
    expect(result.stdout).toContain('memory: at rest again in 1 s');
    expect(report.options.restAfterLoad).toBe('1s');
    expect(report.main.confirmed).toBeGreaterThan(20);
    expect(report.main.errors).toBe(0);
    expect(report.figures.confirmedPerSecond).toBeGreaterThan(5);
    expect(report.figures.p95Ms).toBeGreaterThan(0);
    expect(report.figures.rssAtRestMb).toBeGreaterThan(0);
    expect(report.memory.atRest.byName.member?.processes).toBe(1);
    expect(report.figures.postgresTps).toBeGreaterThan(0);
    for (const ratio of Object.values(report.figures.ratios)) expect(ratio).toBeGreaterThan(0);
    // Attached: only the L1 hop is compared; the whole-system ratio needs --start.
    expect(report.figures.ratios.proxiedVsDirect).toBeUndefined();
    expect(report.proxyOverhead.l1Ratio).toBe(report.figures.ratios.l1ProxiedVsDirect);
    expect(report.capacity.steps.map((step) => [step.rate, step.passed])).toEqual([
      [10, true],
      [20, true],
    ]);
    expect(report.capacity.atSlo?.rate).toBe(20);
    expect(report.figures.capacityAtSlo).toBeGreaterThan(15);
    // CPU: the load generator (k6) did measurable work; the stand-in run's only process sleeps.
    expect(report.cpu.confirmed).toBe(report.main.confirmed);
    expect(report.cpu.loadGenerator.seconds).toBeGreaterThan(0);
    expect(report.cpu.components.map((c) => c.name)).toEqual(['member']);
    expect(report.cpu.machine.seconds).toBeGreaterThan(0);
    // The stand-in serves no /metrics: nothing is counted for it rather than zeros.
    expect(report.roundTrips?.confirmed).toBe(report.main.confirmed);
    expect(report.roundTrips?.rows.find((row) => row.service === 'gateway')).toBeUndefined();
    // Every phase went where it should: the gateway API directly and through the proxy, the order API with its token.
    expect(stub.counts.orders - before.orders).toBeGreaterThan(report.main.requests);
    expect(stub.counts.direct - before.direct).toBe(report.ceilings.order.requests);
    expect(JSON.parse(fs.readFileSync(baseline, 'utf8')).figures).toEqual(report.figures);
  });

  it('exits non-zero and names the figures that regressed over 10% against the baseline', async () => {
    const baseline = path.join(reports, 'inflated-baseline.json');
    const saved = JSON.parse(fs.readFileSync(path.join(reports, 'latest.json'), 'utf8')) as BenchReport;
    const figures = { ...saved.figures, confirmedPerSecond: saved.figures.confirmedPerSecond * 10 };
    fs.writeFileSync(
      baseline,
      JSON.stringify({ savedAt: saved.at, machine: saved.machine, options: saved.options, figures }),
    );
    const result = await harnessInProcess(['bench', ...quick, '--reports-dir', reports, '--baseline', baseline]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/REGRESSIONS over 10%/);
    expect(result.stdout).toMatch(/confirmedPerSecond: [\d.]+ → [\d.]+ \(\d+(\.\d)?% worse\)/);
  });

  it('says clearly that nothing runs when there is no running system', async () => {
    const dir = tempDir('bench-empty-');
    const previous = process.env.HARNESS_STATE_DIR;
    process.env.HARNESS_STATE_DIR = dir;
    try {
      const result = await harnessInProcess(['bench']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('harness bench: no running system');
    } finally {
      process.env.HARNESS_STATE_DIR = previous;
    }
  });
});
