import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJaeger, type JaegerServer } from '@harness/runtime';
import { collectReport } from '../src/report/buildReport.ts';
import { slowestOf, slowestRequestsIn, timedRequestOf, type TimedRequest } from '../src/load/slowestRequests.ts';
import { harnessInProcess, isolateRunState, tempDir } from './loadCli.ts';
import { startStubSystem, type StubServer } from './loadStubs.ts';

const API_KEY = 'demo_load_traces_key';
let stub: StubServer;
let jaeger: JaegerServer;
let jaegerDir: string;

beforeAll(async () => {
  isolateRunState();
  // The real Jaeger ci/setup.sh builds; the stand-in API exports one span per request it is sent.
  jaegerDir = tempDir('load-traces-jaeger-');
  jaeger = await startJaeger({ dir: jaegerDir, logDir: jaegerDir });
  stub = await startStubSystem({ apiKey: API_KEY, otlpUrl: jaeger.otlpUrl });
});

afterAll(async () => {
  await stub?.close();
  await jaeger?.stop();
  fs.rmSync(jaegerDir, { recursive: true, force: true });
});

const point = (traceId: string, ms: number, endpoint = 'place_order'): string =>
  JSON.stringify({
    metric: 'http_req_duration',
    type: 'Point',
    data: {
      time: '2026-12-03T10:00:00Z',
      value: ms,
      tags: { endpoint, status: '201' },
      metadata: { trace_id: traceId },
    },
  });

describe('the slowest requests of a load run', () => {
  it("reads k6's JSON samples: only traced http_req_duration points, slowest first", async () => {
    const id = (n: number): string => n.toString(16).padStart(32, '0');
    expect(timedRequestOf(point(id(1), 12.5))).toEqual({
      traceId: id(1),
      ms: 12.5,
      endpoint: 'place_order',
      status: 201,
      at: '2026-12-03T10:00:00Z',
    });
    expect(timedRequestOf(point('not-a-trace-id', 12))).toBeUndefined();
    expect(timedRequestOf(point(id(1), 12).replace('http_req_duration', 'http_req_waiting'))).toBeUndefined();
    expect(timedRequestOf('{"metric":"http_req_duration","type":"Metric","data":{}}')).toBeUndefined();
    expect(timedRequestOf('{"metric":"http_req_duration" torn line')).toBeUndefined();

    const requests: TimedRequest[] = [5, 40, 1, 30, 40, 2, 99, 7].map((ms, n) => timedRequestOf(point(id(n), ms))!);
    expect(slowestOf(requests, 3).map((r) => r.ms)).toEqual([99, 40, 40]);

    const file = path.join(tempDir('load-points-'), 'points.jsonl');
    fs.writeFileSync(file, `${requests.map((r) => point(r.traceId, r.ms)).join('\n')}\n{"metric":"vus"}\n`);
    expect((await slowestRequestsIn(file, 2)).map((r) => [r.ms, r.traceId])).toEqual([
      [99, id(6)],
      [40, id(1)],
    ]);
    expect(await slowestRequestsIn(path.join(path.dirname(file), 'absent.jsonl'))).toEqual([]);
  });

  it('sends a traceparent with every request, lists the slowest with their trace ids and keeps their traces from Jaeger', async () => {
    const reports = tempDir('load-traces-');
    const result = await harnessInProcess([
      'load',
      'smoke',
      '--duration',
      '3s',
      '--p95',
      '2000',
      '--p99',
      '5000',
      '--base-url',
      stub.url,
      '--api-key',
      API_KEY,
      '--jaeger-url',
      jaeger.uiUrl,
      '--reports-dir',
      reports,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/slowest\s+\d+ ms \w+ \d{3} trace [0-9a-f]{32} → /);

    const slowest = JSON.parse(fs.readFileSync(path.join(reports, 'slowest.json'), 'utf8')) as TimedRequest[];
    expect(slowest).toHaveLength(5);
    expect(slowest.map((r) => r.ms)).toEqual([...slowest.map((r) => r.ms)].sort((a, b) => b - a));
    // The ids k6 recorded are the ids it sent: the stand-in saw each of them in a traceparent.
    for (const request of slowest) expect(stub.traceIds.has(request.traceId)).toBe(true);
    expect(stub.traceIds.size).toBeGreaterThan(5);
    const kept = slowest.filter((r) => r.trace !== undefined);
    expect(kept.length).toBeGreaterThan(0);
    for (const request of kept) {
      const trace = JSON.parse(fs.readFileSync(path.join(reports, request.trace!), 'utf8')) as {
        data: { traceID: string; processes: Record<string, { serviceName: string }> }[];
      };
      expect(trace.data[0]?.traceID).toBe(request.traceId);
      expect(Object.values(trace.data[0]?.processes ?? {}).map((p) => p.serviceName)).toContain('load-stub');
    }
    // The raw samples are read and removed, not left in the reports.
    expect(fs.existsSync(path.join(reports, 'points.jsonl'))).toBe(false);

    // The combined report links the kept traces from the load stage.
    const combined = tempDir('load-traces-report-');
    fs.mkdirSync(path.join(combined, 'load'));
    fs.cpSync(reports, path.join(combined, 'load', 'smoke'), { recursive: true });
    const stage = collectReport({ reportsDir: combined }).stages.find((s) => s.id === 'load');
    const traceLinks = stage?.links.filter((link) => link.label.endsWith('(trace)')) ?? [];
    expect(traceLinks.length).toBe(Math.min(3, kept.length));
    expect(traceLinks[0]).toEqual({
      label: `smoke slow ${Math.round(kept[0]!.ms)} ms ${kept[0]!.endpoint} (trace)`,
      path: `load/smoke/traces/${kept[0]!.traceId}.json`,
    });
  });
});
