import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive, isListening, MissingToolError, sleep } from '../src/index.ts';
import { startJaeger, type JaegerServer } from '../src/local/jaeger.ts';

// The real Jaeger binary ci/setup.sh builds: a missing one fails here with "Run `npm run setup`".
let dir: string;
let jaeger: JaegerServer;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-jaeger-test-'));
  jaeger = await startJaeger({ dir, logDir: dir, maxTraces: 3 });
});

afterAll(async () => {
  await jaeger?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Sends one span of a new trace over OTLP/HTTP (JSON), as service `probe`; returns its trace id. */
async function sendSpan(name: string): Promise<string> {
  const traceId = randomBytes(16).toString('hex');
  const now = BigInt(Date.now()) * 1_000_000n;
  const body = {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'probe' } }] },
        scopeSpans: [
          {
            spans: [
              {
                traceId,
                spanId: randomBytes(8).toString('hex'),
                name,
                kind: 2,
                startTimeUnixNano: String(now - 1_000_000n),
                endTimeUnixNano: String(now),
              },
            ],
          },
        ],
      },
    ],
  };
  const response = await fetch(`${jaeger.otlpUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return traceId;
}

/** The operation names of a trace, once Jaeger has it (it batches what it receives). */
async function operationsOf(traceId: string, timeoutMs = 10_000): Promise<string[] | undefined> {
  for (const started = Date.now(); Date.now() - started < timeoutMs; await sleep(200)) {
    const response = await fetch(`${jaeger.uiUrl}/api/traces/${traceId}`);
    if (response.status !== 200) continue;
    const { data } = (await response.json()) as { data: Array<{ spans: Array<{ operationName: string }> }> };
    return data[0]?.spans.map((span) => span.operationName);
  }
  return undefined;
}

describe('Jaeger', () => {
  it('takes spans over OTLP/HTTP and serves them from its query API', async () => {
    const traceId = await sendSpan('probe span');
    expect(await operationsOf(traceId)).toEqual(['probe span']);
    const services = (await (await fetch(`${jaeger.uiUrl}/api/services`)).json()) as { data: string[] };
    expect(services.data).toContain('probe');
  });

  it('keeps at most maxTraces traces, dropping the oldest', async () => {
    const first = await sendSpan('oldest');
    expect(await operationsOf(first)).toEqual(['oldest']);
    const later = [];
    for (let i = 0; i < 3; i++) later.push(await sendSpan(`later ${i}`));
    expect(await operationsOf(later[2] ?? '')).toEqual(['later 2']);
    expect((await fetch(`${jaeger.uiUrl}/api/traces/${first}`)).status).toBe(404);
  });

  it('takes connections on both OTLP receivers as soon as it is ready', async () => {
    // The collector starts the query API before its receivers: a start that waited for the API
    // alone returned while a span sent next was refused (seen with three test files at a time).
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-jaeger-ready-'));
    const fresh = await startJaeger({ dir: runDir, logDir: runDir });
    try {
      const [host, grpcPort] = fresh.otlpGrpcAddress.split(':');
      expect(await isListening(Number(new URL(fresh.otlpUrl).port), host)).toBe(true);
      expect(await isListening(Number(grpcPort), host)).toBe(true);
    } finally {
      await fresh.stop();
      fs.rmSync(runDir, { recursive: true, force: true });
    }
  });

  it('listens on loopback only and writes its log under the log dir', () => {
    for (const url of [jaeger.otlpUrl, jaeger.uiUrl]) expect(new URL(url).hostname).toBe('127.0.0.1');
    expect(jaeger.otlpGrpcAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(fs.existsSync(path.join(dir, 'jaeger.log'))).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'jaeger.yaml'), 'utf8')).toContain('max_traces: 3');
  });

  it('is gone after stop', async () => {
    const pid = jaeger.process.pid;
    expect(isAlive(pid)).toBe(true);
    await jaeger.stop();
    expect(isAlive(pid)).toBe(false);
  });

  it('serves a jaeger-ui build given as uiAssetsDir as its web UI', async () => {
    const ui = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-jaeger-ui-'));
    fs.writeFileSync(
      path.join(ui, 'index.html'),
      '<html><head><base href="/" /></head><body>our ui build</body></html>',
    );
    const withUi = await startJaeger({ dir: path.join(ui, 'run'), logDir: ui, uiAssetsDir: ui });
    try {
      expect(await (await fetch(withUi.uiUrl)).text()).toContain('our ui build');
    } finally {
      await withUi.stop();
      fs.rmSync(ui, { recursive: true, force: true });
    }
  });

  it('without the binary, says to run the setup', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-no-tools-'));
    try {
      const attempt = startJaeger({ dir, logDir: dir, env: { PATH: empty, HARNESS_TOOLS_DIR: empty } });
      await expect(attempt).rejects.toThrow(MissingToolError);
      await expect(attempt).rejects.toThrow('jaeger is not installed. Run `npm run setup`');
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
