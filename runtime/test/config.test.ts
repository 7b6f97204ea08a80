import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  fillTemplate,
  findConfigFile,
  loadConfig,
  proxiesOfLink,
  reachableFrom,
  referenceConfigFile,
  referenceTopology,
  startOrder,
} from '../src/index.ts';

const OPENAPI = 'openapi: 3.1.0\ninfo: { title: t, version: "1" }\npaths: {}\n';
const ASYNCAPI =
  'asyncapi: 3.0.0\ninfo: { title: t, version: "1" }\ncomponents:\n  messages:\n    OrderPlaced: { name: OrderPlaced }\n';

/** A scratch folder with a config file (its body is the object literal) and two specs beside it. */
function scratch(body: string, files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-config-'));
  fs.writeFileSync(path.join(dir, 'b.yaml'), OPENAPI);
  fs.writeFileSync(path.join(dir, 'events.yaml'), ASYNCAPI);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const file = path.join(dir, 'harness.config.ts');
  fs.writeFileSync(file, body.startsWith('export') ? body : `export default ${body};\n`);
  return file;
}

const twoServices = (link: string, extra = ''): string => `{
  name: 'two',
  services: {
    a: { command: 'a-server', args: ['--port', '{port}'], env: { B: '{url:b}' }, database: true, broker: true },
    b: { command: 'b-server', broker: true, ready: '/health' },
  },
  links: [${link}],
  ${extra}
}`;
const httpLink = `{ id: 'P1', kind: 'http', from: 'a', to: 'b', contract: { openapi: 'b.yaml' } }`;

async function problemsOf(file: string): Promise<string> {
  const error = await loadConfig(file).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConfigError);
  const message = (error as ConfigError).message;
  expect(message).not.toMatch(/^\s+at /m);
  return message;
}

describe('harness.config.ts: loading a valid config', () => {
  it('derives the topology: services with their launch, links with their contract files', async () => {
    const config = await loadConfig(scratch(twoServices(httpLink)));
    expect(config.name).toBe('two');
    const a = config.topology.services.find((service) => service.name === 'a');
    expect(a?.launch).toMatchObject({ command: 'a-server', args: ['--port', '{port}'], ready: '/health/ready' });
    expect(a?.launch?.cwd).toBe(config.dir);
    expect(a?.database).toBe(true);
    expect(config.topology.links[0]).toMatchObject({
      id: 'P1',
      contract: { openapi: 'b', file: path.join(config.dir, 'b.yaml') },
    });
    expect(startOrder(config.topology)).toEqual(['b', 'a']);
  });

  it('describes the reference system in the repository config: six services, links L1 to L9, L10 (GraphQL), L11 (gRPC) and L12', () => {
    const topology = referenceTopology();
    expect(topology.services.map((service) => service.name)).toEqual([
      'gateway',
      'order',
      'inventory',
      'payment',
      'notification',
      'storefront',
    ]);
    expect(topology.links.map((link) => `${link.id} ${link.from}->${link.to} ${link.kind}`)).toEqual([
      'L1 storefront->gateway http',
      'L2 gateway->order http',
      'L3 gateway->inventory http',
      'L4 order->inventory http',
      'L5 order->payment http',
      'L6 order->notification amqp',
      'L7 order->inventory amqp',
      'L8 gateway->notification http',
      'L9 order->gateway amqp',
      'L10 storefront->gateway graphql',
      'L11 gateway->inventory grpc',
      'L12 notification->gateway amqp',
    ]);
    expect(topology.links.find((link) => link.id === 'L10')).toMatchObject({
      contract: { graphql: 'gateway', sdl: 'contracts/graphql/gateway.graphql' },
    });
    // GraphQL has a proxy of its own, apart from L1's REST calls between the same two services.
    expect(proxiesOfLink(topology, 'L10')).toEqual([
      { name: 'l10-storefront-gateway', kind: 'link', from: 'storefront', to: 'gateway', link: 'L10' },
    ]);
    expect(topology.links.find((link) => link.id === 'L11')).toMatchObject({
      contract: { proto: 'stock_levels', service: 'harness.inventory.v1.StockLevelService' },
    });
    expect(proxiesOfLink(topology, 'L11')).toEqual([
      { name: 'l11-gateway-inventory', kind: 'link', from: 'gateway', to: 'inventory', link: 'L11' },
    ]);
    // gateway, notification and order are a cycle (L2 and L8 over HTTP, L9 and L12 events back to the
    // gateway, L6 to notification): they start after the rest, gateway first, then notification
    // and order, so each consumer's queues exist before its producer's first event.
    expect(startOrder(topology)).toEqual(['inventory', 'payment', 'gateway', 'notification', 'order', 'storefront']);
  });

  it('keeps consumers of a message link ahead of its producer in the start order', async () => {
    const messageLink = `{ id: 'M1', kind: 'amqp', from: 'a', to: 'b', contract: { asyncapi: 'events.yaml', messages: ['OrderPlaced'] } }`;
    const config = await loadConfig(scratch(twoServices(`${httpLink}, ${messageLink}`)));
    expect(startOrder(config.topology)).toEqual(['b', 'a']);
  });
});

describe('harness.config.ts: a config error names the file, the path inside it and what was expected', () => {
  it('an unknown service in a link', async () => {
    const message = await problemsOf(
      scratch(twoServices(`{ id: 'P1', kind: 'http', from: 'a', to: 'bee', contract: { openapi: 'b.yaml' } }`)),
    );
    expect(message).toMatch(/harness\.config\.ts: .*links\[0\]\.to: unknown service "bee" \(services: a, b\)/s);
  });

  it('a missing spec file', async () => {
    const message = await problemsOf(
      scratch(twoServices(`{ id: 'P1', kind: 'http', from: 'a', to: 'b', contract: { openapi: 'nope.yaml' } }`)),
    );
    expect(message).toMatch(/links\[0\]\.contract\.openapi: no such file: .*nope\.yaml/);
  });

  it('a spec that does not parse, without a stack trace', async () => {
    const file = scratch(twoServices(httpLink), { 'b.yaml': 'openapi: 3.1.0\npaths: [unclosed\n' });
    expect(await problemsOf(file)).toMatch(/links\[0\]\.contract\.openapi: .*b\.yaml does not parse: /);
  });

  it('a document of the wrong kind', async () => {
    const file = scratch(
      twoServices(`{ id: 'P1', kind: 'http', from: 'a', to: 'b', contract: { openapi: 'events.yaml' } }`),
    );
    expect(await problemsOf(file)).toMatch(/is not an OpenAPI document/);
  });

  it('a message the AsyncAPI document does not declare', async () => {
    const link = `{ id: 'M1', kind: 'amqp', from: 'a', to: 'b', contract: { asyncapi: 'events.yaml', messages: ['OrderShipped'] } }`;
    const message = await problemsOf(scratch(twoServices(`${httpLink}, ${link}`)));
    expect(message).toMatch(
      /links\[1\]\.contract\.messages: message "OrderShipped" is not in events\.yaml \(components\.messages: OrderPlaced\)/,
    );
  });

  it('a misspelt field', async () => {
    const file = scratch(`{ name: 'x', services: { a: { cmd: 'a-server' } } }`);
    expect(await problemsOf(file)).toMatch(/services\.a\.cmd: unknown field/);
  });

  it('a gRPC link whose proto does not declare the service', async () => {
    const proto = { 'stock.proto': 'syntax = "proto3";\npackage shop.v1;\nservice Stock {\n}\n' };
    const grpcLink = (service: string) =>
      `{ id: 'G1', kind: 'grpc', from: 'a', to: 'b', contract: { proto: 'stock.proto', service: '${service}' } }`;
    const good = scratch(twoServices(`${httpLink}, ${grpcLink('shop.v1.Stock')}`), proto);
    expect((await loadConfig(good)).topology.links[1]).toMatchObject({ kind: 'grpc', contract: { proto: 'stock' } });
    const bad = scratch(twoServices(`${httpLink}, ${grpcLink('shop.v2.Stock')}`), proto);
    expect(await problemsOf(bad)).toMatch(/links\[1\]\.contract\.service: shop\.v2\.Stock is not a service of /);
  });

  it('a GraphQL link whose SDL is missing or declares no Query type', async () => {
    const graphqlLink = (file: string) =>
      `{ id: 'Q1', kind: 'graphql', from: 'a', to: 'b', contract: { graphql: '${file}' } }`;
    const sdl = {
      'b.graphql': '# the root\ntype Query {\n  hello: String\n}\n',
      'c.graphql': 'type Order {\n  id: ID!\n}\n',
    };
    const good = scratch(twoServices(`${httpLink}, ${graphqlLink('b.graphql')}`), sdl);
    expect((await loadConfig(good)).topology.links[1]).toMatchObject({
      kind: 'graphql',
      contract: { graphql: 'b', sdl: 'b.graphql' },
    });
    const missing = scratch(twoServices(`${httpLink}, ${graphqlLink('nope.graphql')}`), sdl);
    expect(await problemsOf(missing)).toMatch(
      /harness\.config\.ts: .*links\[1\]\.contract\.graphql: no such file: .*nope\.graphql/s,
    );
    const noQuery = scratch(twoServices(`${httpLink}, ${graphqlLink('c.graphql')}`), sdl);
    expect(await problemsOf(noQuery)).toMatch(
      /links\[1\]\.contract\.graphql: c\.graphql is not a GraphQL schema: it declares no Query type/,
    );
  });

  it('a link of an unknown kind', async () => {
    const file = scratch(twoServices(`{ id: 'P1', kind: 'soap', from: 'a', to: 'b', contract: {} }`));
    expect(await problemsOf(file)).toMatch(/links\[0\]\.kind: expected kind "http", "graphql", "grpc" or "amqp"/);
  });

  it('an unknown placeholder and a dependency URL without a link', async () => {
    const file = scratch(`{
      name: 'x',
      services: {
        a: { command: 'a-server', args: ['--port', '{prot}'], env: { C: '{url:b}' } },
        b: { command: 'b-server' },
      },
    }`);
    const message = await problemsOf(file);
    expect(message).toMatch(/services\.a\.args\[1\]: unknown placeholder \{prot\}/);
    expect(message).toMatch(/services\.a\.env\.C: \{url:b\}: "a" has no HTTP link to "b"/);
  });

  it('every problem at once, one line each', async () => {
    const file = scratch(
      `{ name: 'x', services: { a: { command: 'a', env: { D: '{databaseUrl}', S: '{secret:nope}' } } } }`,
    );
    const message = await problemsOf(file);
    expect(message).toMatch(/2 problems/);
    expect(message).toMatch(/services\.a\.env\.D: \{databaseUrl\} needs `database: true`/);
    expect(message).toMatch(/services\.a\.env\.S: \{secret:nope\}: unknown secret "nope"/);
  });

  it('a config that does not compile, without a stack trace', async () => {
    const file = scratch(`export default { name: 'x', services: { a: { command: 'a' } }\n`);
    expect(await problemsOf(file)).toMatch(/harness\.config\.ts: cannot load: /);
  });

  it('a config without a default export', async () => {
    const file = scratch(`export const config = { name: 'x' };\n`);
    expect(await problemsOf(file)).toMatch(/expected `export default defineConfig\(\{ \.\.\. \}\)`/);
  });

  it('a service named after the infrastructure', async () => {
    const file = scratch(`{ name: 'x', services: { postgres: { command: 'pg' } } }`);
    expect(await problemsOf(file)).toMatch(/services\.postgres: "postgres" is reserved/);
  });
});

describe('which config a command uses', () => {
  it('--config wins over HARNESS_CONFIG, which wins over the nearest harness.config.ts', () => {
    const file = scratch(twoServices(httpLink));
    const nested = path.join(path.dirname(file), 'deep', 'er');
    fs.mkdirSync(nested, { recursive: true });
    expect(findConfigFile(undefined, {}, nested)).toBe(file);
    expect(findConfigFile(undefined, { HARNESS_CONFIG: referenceConfigFile }, nested)).toBe(referenceConfigFile);
    expect(findConfigFile(file, { HARNESS_CONFIG: referenceConfigFile }, nested)).toBe(file);
  });

  it('names a missing --config file and where it came from', () => {
    expect(() => findConfigFile('missing.config.ts', {}, os.tmpdir())).toThrow(
      /missing\.config\.ts: no such file \(named by --config\)/,
    );
    expect(() => findConfigFile(undefined, {}, fs.mkdtempSync(path.join(os.tmpdir(), 'no-config-')))).toThrow(
      /harness\.config\.ts: not found in .* or any folder above it/,
    );
  });
});

describe('env templates', () => {
  it('fills placeholders and leaves JSON braces alone', () => {
    const values = { plain: { port: '8080' }, url: { b: 'http://127.0.0.1:9' }, serviceUrl: {}, secret: { k: 's3' } };
    expect(fillTemplate('[{"key":"{secret:k}","port":{port}}] {url:b}', values)).toBe(
      '[{"key":"s3","port":8080}] http://127.0.0.1:9',
    );
  });
});

describe('harness.config.ts: link resilience promises', () => {
  it('accepts a full promise and rejects a backoff envelope whose ceiling is below its start', async () => {
    const promise = `resilience: { timeoutMs: 800, retry: { attempts: 3, initialDelayMs: 100, maxDelayMs: 1000 }, breaker: { threshold: 5, halfOpenAfterMs: 2000 }, bulkhead: { limit: 8 } }`;
    const ok = await loadConfig(
      scratch(
        twoServices(`{ id: 'P1', kind: 'http', from: 'a', to: 'b', contract: { openapi: 'b.yaml' }, ${promise} }`),
      ),
    );
    expect(ok.resilience.P1).toMatchObject({ timeoutMs: 800, breaker: { threshold: 5 } });
    const bad = promise.replace('maxDelayMs: 1000', 'maxDelayMs: 10');
    const message = await problemsOf(
      scratch(twoServices(`{ id: 'P1', kind: 'http', from: 'a', to: 'b', contract: { openapi: 'b.yaml' }, ${bad} }`)),
    );
    expect(message).toMatch(/links\[0\]\.resilience\.retry\.maxDelayMs: maxDelayMs must be at least initialDelayMs/);
  });
});

describe('harness.config.ts: the chaos runner and what it starts', () => {
  it('the kit runner needs an entry that is a service; serviceEnv names services', async () => {
    const noEntry = await problemsOf(scratch(twoServices(httpLink, `chaos: { runner: 'kit' },`)));
    expect(noEntry).toMatch(/chaos\.entry: the kit runner needs the service its workload drives/);
    const unknown = await problemsOf(
      scratch(
        twoServices(httpLink, `chaos: { runner: 'kit', entry: 'c', kit: 'nope.ts', serviceEnv: { d: { X: '1' } } },`),
      ),
    );
    expect(unknown).toMatch(/chaos\.entry: unknown service "c" \(services: a, b\)/);
    expect(unknown).toMatch(/chaos\.serviceEnv\.d: unknown service "d"/);
    expect(unknown).toMatch(/chaos\.kit: no such file: .*nope\.ts/);
    expect(noEntry).toMatch(/chaos\.kit: the kit runner needs the module/);
    const ok = await loadConfig(
      scratch(twoServices(httpLink, `chaos: { runner: 'kit', entry: 'a', kit: 'domain.ts' },`), { 'domain.ts': '' }),
    );
    expect(ok.chaos).toMatchObject({ runner: 'kit', entry: 'a', serviceEnv: {} });
    expect(ok.chaos.kit).toMatch(/domain\.ts$/);
  });

  it('a kit chaos system is its entry and what the entry reaches: the reference leaves the storefront out', () => {
    const topology = referenceTopology();
    expect(reachableFrom(topology, 'gateway')).toEqual(['gateway', 'order', 'inventory', 'payment', 'notification']);
    expect(reachableFrom(topology, 'storefront')).toHaveLength(6);
    expect(reachableFrom(topology, 'payment')).toEqual(['payment']);
  });
});

describe('harness.config.ts: mutants and the explore workload', () => {
  it('names an unknown service in a mutant or in the explore workload, and a duplicate mutant', async () => {
    const message = await problemsOf(
      scratch(
        twoServices(
          httpLink,
          `mutate: { mutants: [
            { name: 'breaker-off', env: { ghost: { X: '1' } } },
            { name: 'breaker-off', env: { a: { X: '1' } } },
          ] },
          explore: { workload: [{ id: 'w', service: 'nobody', method: 'GET', path: '/', count: 1 }] },`,
        ),
      ),
    );
    expect(message).toMatch(/mutate\.mutants\[0\]\.env\.ghost: unknown service "ghost" \(services: a, b\)/);
    expect(message).toMatch(/mutate\.mutants\[1\]\.name: duplicate mutant "breaker-off"/);
    expect(message).toMatch(/explore\.workload\[0\]\.service: unknown service "nobody"/);
    const named = await problemsOf(
      scratch(twoServices(httpLink, `mutate: { mutants: [{ name: 'Breaker Off', env: {} }] },`)),
    );
    expect(named).toMatch(/mutate\.mutants\.0\.name|mutate\.mutants\[0\]\.name/);
  });

  it('the reference declares a mutant for every resilience mechanism it has', async () => {
    const config = await loadConfig(referenceConfigFile);
    expect(config.mutants.map((mutant) => mutant.name)).toEqual([
      'breaker-off',
      'stock-breaker-off',
      'stock-retries-off',
      'retries-off',
      'bulkhead-off',
      'timeout-unbounded',
      'retry-jitter-off',
      'idempotency-store-bypassed',
      'outbox-bypassed',
      'consumer-dedupe-off',
      'compensation-skipped',
      'recovery-worker-off',
    ]);
    expect(config.mutants.every((mutant) => (mutant.scenarios ?? []).length > 0)).toBe(true);
  });

  it('explore: the black-box runner needs a workload, the kit runner takes it from its kit domain; serviceEnv names known services', async () => {
    const missing = await problemsOf(scratch(twoServices(httpLink, `explore: { faultMs: 1000 },`)));
    expect(missing).toMatch(/explore\.workload: the requests every exploration run drives are required/);
    const env = await problemsOf(
      scratch(
        twoServices(
          httpLink,
          `explore: { workload: [{ id: 'w', service: 'a', method: 'GET', path: '/', count: 1 }], serviceEnv: { ghost: { X: '1' } } },`,
        ),
      ),
    );
    expect(env).toMatch(/explore\.serviceEnv\.ghost: unknown service "ghost"/);
    const ci = await problemsOf(
      scratch(
        twoServices(
          httpLink,
          `explore: { workload: [{ id: 'w', service: 'a', method: 'GET', path: '/', count: 1 }], ci: { only: [] } },`,
        ),
      ),
    );
    expect(ci).toMatch(/explore\.ci\.only/);
    const reference = await loadConfig(referenceConfigFile);
    expect(reference.explore).toMatchObject({ faultMs: 3_000, requestBudgetMs: 5_000, ci: { pairs: true } });
    expect(reference.explore?.workload).toBeUndefined();
  });
});
