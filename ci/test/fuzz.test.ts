import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, referenceConfigFile, REPO_ROOT } from '@harness/runtime';
import { fuzzService, schemathesisBinary, schemathesisToml, serverGroups } from '../src/fuzz/runFuzz.ts';

const cleanup: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A one-operation API: GET /things/{id} answers 200 { id } (or what `answer` says instead). */
const spec = `openapi: 3.1.0
info: { title: things, version: 1.0.0 }
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - { name: id, in: path, required: true, schema: { type: string, pattern: '^[a-z]{1,8}$' } }
      responses:
        '200':
          description: found
          content:
            application/json:
              schema: { type: object, required: [id], additionalProperties: false, properties: { id: { type: string } } }
        '400':
          description: refused
          content: { application/json: { schema: { type: object } } }
`;

async function stub(answer: (id: string) => { status: number; body: unknown }): Promise<string> {
  const server = http.createServer((request, response) => {
    const match = /^\/things\/([^/?]+)$/.exec(request.url ?? '');
    if (request.method !== 'GET') {
      response.writeHead(match ? 405 : 404, match ? { allow: 'GET' } : {}).end();
      return;
    }
    if (!match) {
      response.writeHead(404).end();
      return;
    }
    const id = decodeURIComponent(match[1] ?? '');
    const { status, body } = /^[a-z]{1,8}$/.test(id) ? answer(id) : { status: 400, body: { error: 'bad id' } };
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function fuzzStub(answer: (id: string) => { status: number; body: unknown }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fuzz-test-'));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const specFile = path.join(dir, 'things.yaml');
  fs.writeFileSync(specFile, spec);
  const toml = path.join(dir, 'st.toml');
  fs.writeFileSync(toml, '[generation]\nmax-examples = 10\nallow-x00 = false\n');
  const junit = path.join(dir, 'fuzz-things.xml');
  const result = await fuzzService({
    binary: schemathesisBinary(),
    name: 'things',
    specFile,
    serviceUrl: await stub(answer),
    toml,
    junit,
    log: path.join(dir, 'run', 'schemathesis.log'),
    headers: [],
    seed: 1,
    echo: false,
  });
  return { ...result, junit: fs.existsSync(junit) ? fs.readFileSync(junit, 'utf8') : '' };
}

describe('harness fuzz (Schemathesis)', () => {
  it('passes a service that answers as its spec says', async () => {
    const result = await fuzzStub((id) => ({ status: 200, body: { id } }));
    expect(result.exitCode).toBe(0);
    expect(result.counts?.failed).toBe(0);
  }, 120_000);

  it('fails a service that answers 5xx, and one whose body breaks its schema', async () => {
    const crashes = await fuzzStub(() => ({ status: 500, body: { error: 'boom' } }));
    expect(crashes.exitCode).toBe(1);
    expect(crashes.junit).toMatch(/Server error/i);
    const wrongBody = await fuzzStub((id) => ({ status: 200, body: { id, secret: 1 } }));
    expect(wrongBody.exitCode).toBe(1);
    expect(wrongBody.junit).toMatch(/Response violates schema/i);
  }, 120_000);

  it("runs the paths a spec serves elsewhere (the gateway's health and metrics at the root) on their own server", () => {
    const groups = serverGroups(path.join(REPO_ROOT, 'contracts', 'openapi', 'gateway.yaml'));
    expect(groups.map((group) => [group.basePath, group.paths])).toEqual([
      ['/api/v1', undefined],
      ['', ['/health/live', '/health/ready', '/metrics']],
    ]);
    expect(groups[0]?.filter).toEqual(['--exclude-path-regex', '^(/health/live|/health/ready|/metrics)$']);
    expect(serverGroups(path.join(REPO_ROOT, 'contracts', 'openapi', 'order.yaml'))).toHaveLength(1);
  });

  it("writes the config's accepted statuses, per operation with its reason, and no U+0000 generation", async () => {
    const config = await loadConfig(referenceConfigFile);
    const toml = schemathesisToml(config, 7, 'order');
    expect(toml).toContain('max-examples = 7');
    expect(toml).toContain('allow-x00 = false');
    expect(toml).toContain('expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "429", "402", "422"]');
    expect(toml).toMatch(
      /# a product id of the right form[^\n]*\n\[\[operations\]\]\ninclude-operation-id = "placeOrder"/,
    );
    expect(toml).toContain('"422", "400"]');
  });
});
