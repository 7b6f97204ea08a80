import { describe, expect, it } from 'vitest';
import { summarize, type ChaosJournal } from '../src/report/ChaosJournal.ts';
import { htmlReport } from '../src/report/htmlReport.ts';
import { junitReport } from '../src/report/junitReport.ts';
import type { ScenarioRun, ScenarioStatus } from '../src/runner/ScenarioRun.ts';

function run(id: string, repeat: number, status: ScenarioStatus, failures: string[] = []): ScenarioRun {
  return {
    id,
    title: `title of ${id}`,
    hypothesis: 'it holds <even with markup> & "quotes"',
    repeat,
    status,
    failures,
    startedAt: new Date(0).toISOString(),
    durationMs: 1_500,
    restartedForEnv: [],
    links: ['L5'],
    policies: {},
    steadyState: [],
    faults: [{ id: 'f', description: 'latency on link L5', injectedAtMs: 1_000, liftedAtMs: 2_000, notes: [] }],
    responses: [
      {
        stream: 's',
        kind: 'place',
        key: 'k',
        startMs: 1_100,
        endMs: 1_200,
        status: 503,
        retryAfter: '1',
        orderId: undefined,
        problemCode: 'X',
        detail: 'd',
        bodyIntact: true,
      },
    ],
    expectations: [],
    oracles: [],
    invariants: [],
    evidence: [{ fault: 'f', touched: status !== 'vacuous', proofs: [], empty: [] }],
    rollback: [],
    recovery: [],
    timeline: {
      t0: 1_000,
      endMs: 3_000,
      breakers: [
        { service: 'order', dependency: 'payment', intervals: [{ state: 'open', fromMs: 1_000, toMs: 3_000 }] },
      ],
      proxyBytes: [],
      retries: [],
    },
  };
}

function journal(runs: ScenarioRun[], repeat: number): ChaosJournal {
  return {
    runId: 'r',
    startedAt: new Date(0).toISOString(),
    durationMs: 10_000,
    options: { scenarios: [], profile: 'ci', repeat, seed: 1, attach: false },
    system: { mode: 'owned', proxyMetrics: true, startupMs: 1_000 },
    summary: summarize(runs),
    runs,
  };
}

describe('reports', () => {
  it('reports the flake rate of repeated scenarios', () => {
    const summary = summarize([
      run('a', 1, 'passed'),
      run('a', 2, 'failed'),
      run('a', 3, 'passed'),
      run('b', 1, 'skipped'),
    ]);
    expect(summary.flakeRates).toEqual([
      { scenario: 'a', runs: 3, notPassed: 1, rate: 1 / 3 },
      { scenario: 'b', runs: 0, notPassed: 0, rate: 0 },
    ]);
  });

  it('writes JUnit with failures, vacuous passes as failures and skips', () => {
    const xml = junitReport(
      journal(
        [
          run('a', 1, 'passed'),
          run('b', 1, 'failed', ['oracle x: y']),
          run('c', 1, 'vacuous', ['f never touched']),
          run('d', 1, 'skipped', ['attached']),
        ],
        1,
      ),
    );
    expect(xml).toContain('<testsuites name="chaos" tests="4" failures="2" errors="0" skipped="1"');
    expect(xml).toContain('<failure type="failed" message="oracle x: y">');
    expect(xml).toContain('<failure type="vacuous" message="f never touched">');
    expect(xml).toContain('<skipped message="attached"/>');
    expect(xml).toContain('it holds &lt;even with markup&gt; &amp; &quot;quotes&quot;');
  });

  it('draws a timeline with the faults, breaker states and responses, escaping scenario text', () => {
    const html = htmlReport(journal([run('a', 1, 'failed', ['<script>'])], 1));
    expect(html).toContain('<svg class="timeline"');
    expect(html).toContain('fault f');
    expect(html).toContain('breaker order→payment');
    expect(html).toContain('fill="#c62828"><title>open</title>');
    expect(html).not.toContain('<script>');
  });
});
