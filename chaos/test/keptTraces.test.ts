import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { startJaeger, type JaegerServer } from '@harness/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarize } from '../src/report/ChaosJournal.ts';
import { htmlReport } from '../src/report/htmlReport.ts';
import { keepTraces, responsesWorthATrace } from '../src/report/keepTraces.ts';
import { emptyRun } from '../src/runner/ScenarioRun.ts';
import type { Scenario } from '../src/scenario/Scenario.ts';
import type { ResponseRecord } from '../src/workload/ResponseRecord.ts';

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

function response(status: number, latencyMs: number): ResponseRecord {
  return {
    stream: 's',
    kind: 'place',
    key: hex(4),
    startMs: 1_000,
    endMs: 1_000 + latencyMs,
    status,
    retryAfter: undefined,
    orderId: undefined,
    problemCode: undefined,
    detail: undefined,
    bodyIntact: true,
    traceId: hex(16),
  };
}

/** The same response from a client that sent no traceparent. */
function untraced(record: ResponseRecord): ResponseRecord {
  const { traceId: _traceId, ...rest } = record;
  return rest;
}

describe('which requests get their trace kept', () => {
  it('takes every failed request first, then the slowest of the rest, capped, only traced ones', () => {
    const fast = Array.from({ length: 40 }, (_, i) => response(201, 10 + i));
    const failedOnes = [response(503, 5), response(0, 15_000), response(500, 20)];
    const noTrace = untraced(response(503, 5));
    const picked = responsesWorthATrace([...fast, ...failedOnes, noTrace], 5);
    expect(picked.slice(0, 3)).toEqual(failedOnes);
    expect(picked.slice(3).map((r) => r.endMs - r.startMs)).toEqual([49, 48]);
    expect(picked).not.toContain(noTrace);
    expect(responsesWorthATrace(fast.map(untraced))).toEqual([]);
  });
});

describe('keeping traces from a real Jaeger', () => {
  let dir: string;
  let jaeger: JaegerServer;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-kept-traces-'));
    jaeger = await startJaeger({ dir, logDir: dir });
  });
  afterAll(async () => {
    await jaeger?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function exportSpan(traceId: string): Promise<void> {
    const now = BigInt(Date.now()) * 1_000_000n;
    const span = { traceId, spanId: hex(8), name: 'POST /api/v1/orders', kind: 2 };
    const times = { startTimeUnixNano: String(now - 5_000_000n), endTimeUnixNano: String(now) };
    const resource = { attributes: [{ key: 'service.name', value: { stringValue: 'gateway' } }] };
    const body = { resourceSpans: [{ resource, scopeSpans: [{ spans: [{ ...span, ...times }] }] }] };
    const answer = await fetch(`${jaeger.otlpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(answer.status).toBe(200);
  }

  it('writes the trace of a failed request next to the report and links its dot on the timeline to it', async () => {
    const failed = response(503, 40);
    const missing = response(0, 9_000); // its trace never reached Jaeger
    const ok = untraced(response(201, 10));
    await exportSpan(failed.traceId ?? '');
    const tracesDir = path.join(dir, 'report', 'traces');
    const kept = await keepTraces([failed, missing, ok], jaeger.uiUrl, tracesDir, { settleMs: 1_000 });
    expect(kept).toEqual([failed.traceId]);
    const saved = JSON.parse(fs.readFileSync(path.join(tracesDir, `${failed.traceId}.json`), 'utf8')) as {
      data: Array<{ traceID: string; spans: Array<{ operationName: string }> }>;
    };
    expect(saved.data[0]?.traceID).toBe(failed.traceId);
    expect(saved.data[0]?.spans.map((span) => span.operationName)).toEqual(['POST /api/v1/orders']);

    const scenario = { id: 'x', title: 't', hypothesis: 'h', faults: [], expectations: [] } as unknown as Scenario;
    const run = {
      ...emptyRun(scenario, 1, 0),
      links: [],
      responses: [failed, missing, ok],
      keptTraces: kept,
      timeline: { t0: 1_000, endMs: 10_000, breakers: [], proxyBytes: [], retries: [] },
    };
    const html = htmlReport({
      runId: 'r',
      startedAt: new Date(0).toISOString(),
      durationMs: 1,
      options: { scenarios: ['x'], profile: 'ci', repeat: 1, seed: 1, attach: false },
      system: { mode: 'owned', proxyMetrics: true, startupMs: 1 },
      summary: summarize([run]),
      runs: [run],
    });
    expect(html).toContain(`<a href="traces/${failed.traceId}.json">`);
    expect(html).not.toContain(`traces/${missing.traceId}.json`);
  });
});
