import { describe, expect, it } from 'vitest';
import {
  bypassProxy,
  proxiesOf,
  referenceTopology,
  serviceEnvironments,
  type InfraDescription,
  type ProxyAddress,
  type ServiceAddress,
  type ServiceName,
} from '../src/index.ts';

/**
 * A run description as startInfra builds it, with made-up ports: proxies on 20xxx, servers on
 * 30xxx, gRPC servers on 31xxx.
 */
function fakeInfra(): InfraDescription {
  const servicePort = (name: ServiceName): number => 30_100 + SERVICE_NAMES.indexOf(name);
  const grpcServers = new Set(referenceTopology().links.flatMap((link) => (link.kind === 'grpc' ? [link.to] : [])));
  const grpcLinks = new Set(referenceTopology().links.flatMap((link) => (link.kind === 'grpc' ? [link.id] : [])));
  const upstreamOf = (to: ProxyAddress['to'], link: string | undefined): string =>
    `127.0.0.1:${to === 'postgres' ? 30_001 : to === 'rabbitmq' ? 30_002 : servicePort(to) + (link && grpcLinks.has(link) ? 1_000 : 0)}`;
  const proxies: ProxyAddress[] = proxiesOf(referenceTopology()).map((spec, i) => ({
    ...spec,
    listen: `127.0.0.1:${20_000 + i}`,
    upstream: upstreamOf(spec.to, spec.link),
  }));
  const services: Record<ServiceName, ServiceAddress> = {};
  for (const spec of referenceTopology().services) {
    const port = servicePort(spec.name);
    const address: ServiceAddress = { name: spec.name, port, url: `http://127.0.0.1:${port}` };
    if (grpcServers.has(spec.name)) address.grpcPort = port + 1_000;
    const db = proxies.find((p) => p.from === spec.name && p.kind === 'postgres');
    if (db) address.databaseUrl = `postgres://svc_${spec.name}:secret@${db.listen}/svc_${spec.name}`;
    const mq = proxies.find((p) => p.from === spec.name && p.kind === 'rabbitmq');
    if (mq) address.amqpUrl = `amqp://harness:pw@${mq.listen}`;
    services[spec.name] = address;
  }
  return {
    runDir: '/tmp/run',
    logDir: '/tmp/run/logs',
    postgres: { url: 'postgres://postgres:x@127.0.0.1:30001/postgres', port: 30_001, pid: 1 },
    rabbitmq: { url: 'amqp://harness:pw@127.0.0.1:30002', port: 30_002, pid: 2, epmdPid: 3 },
    toxiproxy: { url: 'http://127.0.0.1:30000', port: 30_000, pid: 4 },
    services,
    proxies,
  };
}

const SERVICE_NAMES = referenceTopology().services.map((service) => service.name);
const secrets = { serviceToken: 'svc_t', demoApiKey: 'demo_k', readOnlyApiKey: 'ro_k' };
const proxyPorts = /127\.0\.0\.1:20\d{3}/;

describe('service environments: wiring', () => {
  it('sends every dependency, database and broker connection through its proxy by default', () => {
    const envs = serviceEnvironments(referenceTopology(), fakeInfra(), secrets);
    expect(envs.order?.INVENTORY_URL).toMatch(proxyPorts);
    expect(envs.order?.PAYMENT_URL).toMatch(proxyPorts);
    expect(envs.order?.DATABASE_URL).toMatch(proxyPorts);
    expect(envs.order?.AMQP_URL).toMatch(proxyPorts);
    expect(envs.storefront?.GATEWAY_URL).toMatch(proxyPorts);
  });

  it('marks every process it starts as started by the harness (services honour HARNESS_MUTANTS only then)', () => {
    const envs = serviceEnvironments(referenceTopology(), fakeInfra(), secrets);
    for (const name of SERVICE_NAMES) expect(envs[name]?.HARNESS_STARTED_BY).toBe('harness');
  });

  it('with direct wiring, points every connection at the proxy upstream and nothing at Toxiproxy', () => {
    const infra = fakeInfra();
    const envs = serviceEnvironments(referenceTopology(), infra, secrets, 'direct');
    expect(envs.order?.INVENTORY_URL).toBe(infra.services.inventory?.url);
    expect(envs.order?.PAYMENT_URL).toBe(infra.services.payment?.url);
    expect(envs.gateway?.ORDER_URL).toBe(infra.services.order?.url);
    expect(envs.gateway?.NOTIFICATION_URL).toBe(infra.services.notification?.url);
    expect(envs.storefront?.GATEWAY_URL).toBe(infra.services.gateway?.url);
    expect(envs.order?.DATABASE_URL).toBe('postgres://svc_order:secret@127.0.0.1:30001/svc_order');
    expect(envs.notification?.AMQP_URL).toBe('amqp://harness:pw@127.0.0.1:30002');
    for (const name of SERVICE_NAMES) expect(Object.values(envs[name] ?? {}).join(' ')).not.toMatch(proxyPorts);
  });

  it('changes only the addresses: everything else is the same in both wirings', () => {
    const infra = fakeInfra();
    const proxied = serviceEnvironments(referenceTopology(), infra, secrets);
    const direct = serviceEnvironments(referenceTopology(), infra, secrets, 'direct');
    for (const name of SERVICE_NAMES) {
      expect(Object.keys(direct[name] ?? {}).sort()).toEqual(Object.keys(proxied[name] ?? {}).sort());
      const unchanged = Object.keys(proxied[name] ?? {}).filter((key) => !/_URL$|_GRPC_ADDRESS$/.test(key));
      for (const key of unchanged) expect(direct[name]?.[key]).toBe(proxied[name]?.[key]);
    }
  });

  it("gives a gRPC server its GRPC_PORT and its caller the link's proxy as <SERVICE>_GRPC_ADDRESS (L11)", () => {
    const infra = fakeInfra();
    const proxied = serviceEnvironments(referenceTopology(), infra, secrets);
    const l11 = infra.proxies.find((proxy) => proxy.link === 'L11');
    expect(l11?.upstream).toBe(`127.0.0.1:${infra.services.inventory?.grpcPort}`);
    expect(proxied.inventory?.GRPC_PORT).toBe(String(infra.services.inventory?.grpcPort));
    expect(proxied.gateway?.INVENTORY_GRPC_ADDRESS).toBe(l11?.listen);
    const direct = serviceEnvironments(referenceTopology(), infra, secrets, 'direct');
    expect(direct.gateway?.INVENTORY_GRPC_ADDRESS).toBe(l11?.upstream);
    expect(proxied.order?.INVENTORY_GRPC_ADDRESS).toBeUndefined();
    // The chaos runner's tap in front of the proxy takes the caller's address instead.
    const tapped = serviceEnvironments(referenceTopology(), infra, secrets, 'proxied', {
      grpcLinkAddresses: { L11: '127.0.0.1:4711' },
    });
    expect(tapped.gateway?.INVENTORY_GRPC_ADDRESS).toBe('127.0.0.1:4711');
  });

  it("gives a GraphQL caller the origin of the link's own proxy as <SERVICE>_GRAPHQL_URL (L10), apart from L1's", () => {
    const infra = fakeInfra();
    const proxied = serviceEnvironments(referenceTopology(), infra, secrets);
    const l1 = infra.proxies.find((proxy) => proxy.link === 'L1');
    const l10 = infra.proxies.find((proxy) => proxy.link === 'L10');
    expect(l10?.upstream).toBe(`127.0.0.1:${infra.services.gateway?.port}`);
    expect(proxied.storefront?.GATEWAY_GRAPHQL_URL).toBe(`http://${l10?.listen}`);
    expect(proxied.storefront?.GATEWAY_URL).toBe(`http://${l1?.listen}`);
    expect(l10?.listen).not.toBe(l1?.listen);
    const direct = serviceEnvironments(referenceTopology(), infra, secrets, 'direct');
    expect(direct.storefront?.GATEWAY_GRAPHQL_URL).toBe(infra.services.gateway?.url);
    expect(proxied.gateway?.GATEWAY_GRAPHQL_URL).toBeUndefined();
  });

  it('refuses to bypass a URL that goes through no proxy, without printing its password', () => {
    const infra = fakeInfra();
    expect(() => bypassProxy('postgres://u:hunter2@127.0.0.1:1/db', infra.proxies)).toThrow(
      'postgres://127.0.0.1:1/db does not go through any proxy of the run',
    );
    expect(() => bypassProxy('postgres://u:hunter2@127.0.0.1:1/db', infra.proxies)).not.toThrow(/hunter2/);
  });
});

describe('service environments: traces', () => {
  it("points every service's span export at the run's Jaeger, straight (no proxy), under its own name", () => {
    const infra = {
      ...fakeInfra(),
      jaeger: { otlpUrl: 'http://127.0.0.1:30003', uiUrl: 'http://127.0.0.1:30004', pid: 5 },
    };
    const envs = serviceEnvironments(referenceTopology(), infra, secrets);
    for (const name of SERVICE_NAMES) {
      expect(envs[name]?.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://127.0.0.1:30003');
      expect(envs[name]?.OTEL_SERVICE_NAME).toBe(name);
    }
  });

  it('sets no span export when the run has no Jaeger (traces off, containers, old state files)', () => {
    const envs = serviceEnvironments(referenceTopology(), fakeInfra(), secrets);
    for (const name of SERVICE_NAMES) {
      expect(envs[name]).not.toHaveProperty('OTEL_EXPORTER_OTLP_ENDPOINT');
      expect(envs[name]).not.toHaveProperty('OTEL_SERVICE_NAME');
    }
  });
});

describe('service environments: settings for one service', () => {
  it('gives ORDER__X to the order service alone, over a plain X, never over the topology', () => {
    const saved = { ...process.env };
    try {
      process.env.ORDER__INVENTORY_TIMEOUT_MS = '400';
      process.env.GATEWAY__INVENTORY_TIMEOUT_MS = '900';
      process.env.ORDER__PORT = '1';
      process.env.ORDER__INVENTORY_URL = 'http://example.invalid';
      process.env.ORDER__LOG_LEVEL = 'debug';
      const envs = serviceEnvironments(referenceTopology(), fakeInfra(), secrets);
      expect(envs.order?.INVENTORY_TIMEOUT_MS).toBe('400');
      expect(envs.gateway?.INVENTORY_TIMEOUT_MS).toBe('900');
      expect(envs.payment?.INVENTORY_TIMEOUT_MS).toBeUndefined();
      expect(envs.order?.LOG_LEVEL).toBe('debug');
      expect(envs.gateway?.LOG_LEVEL).not.toBe('debug');
      expect(envs.order?.PORT).not.toBe('1');
      expect(envs.order?.INVENTORY_URL).toMatch(proxyPorts);
      expect(Object.keys(envs.order ?? {}).some((name) => name.includes('__'))).toBe(false);
    } finally {
      process.env = saved;
    }
  });
});

describe('service environments: the reference config', () => {
  it('fills the secrets and service URLs its env templates name', () => {
    const infra = fakeInfra();
    const envs = serviceEnvironments(referenceTopology(), infra, secrets);
    expect(envs.order?.SERVICE_TOKEN).toBe('svc_t');
    expect(envs.storefront?.API_KEY).toBe('demo_k');
    expect(envs.gateway?.CORS_ORIGIN).toBe(infra.services.storefront?.url);
    const keys = JSON.parse(envs.gateway?.API_KEYS ?? '[]') as Array<{ id: string; key: string }>;
    expect(keys.map((key) => [key.id, key.key])).toEqual([
      ['demo', 'demo_k'],
      ['read-only', 'ro_k'],
    ]);
  });
});
