import { randomBytes } from 'node:crypto';
import type { InfraDescription, ProxyAddress } from './infra.ts';
import type { ServiceName, Topology } from './topology.ts';

/** Secrets of one run: the internal service token and the gateway's API keys. */
export interface RunSecrets {
  serviceToken: string;
  /** Full access: products:read, orders:read, orders:write. */
  demoApiKey: string;
  /** products:read only, to show 403 on order routes. */
  readOnlyApiKey: string;
}

export function newRunSecrets(): RunSecrets {
  const token = (prefix: string): string => `${prefix}_${randomBytes(16).toString('hex')}`;
  return { serviceToken: token('svc'), demoApiKey: token('demo'), readOnlyApiKey: token('ro') };
}

/**
 * How services reach each other, PostgreSQL and RabbitMQ: through the Toxiproxy proxy of each
 * connection (the default, so faults can be injected), or straight to the upstream (to measure
 * what the proxies cost; nothing can be injected then).
 */
export type Wiring = 'proxied' | 'direct';

/** The address a connection uses: the proxy's listen address, or with direct wiring its upstream. */
function via(proxy: ProxyAddress, wiring: Wiring): string {
  return wiring === 'direct' ? proxy.upstream : proxy.listen;
}

/** A URL whose host:port is a proxy's listen address, pointed at that proxy's upstream instead. */
export function bypassProxy(url: string, proxies: readonly ProxyAddress[]): string {
  // scheme://[userinfo@] | host:port | the rest; only the middle part changes, byte for byte.
  const match = /^([a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?)([^/?#]+)(.*)$/i.exec(url);
  const proxy = match ? proxies.find((candidate) => candidate.listen === match[2]) : undefined;
  if (!match || !proxy)
    throw new Error(`${url.replace(/\/\/[^@/?#]*@/, '//')} does not go through any proxy of the run`);
  return `${match[1]}${proxy.upstream}${match[3]}`;
}

/**
 * Settings meant for one service only: `ORDER__INVENTORY_TIMEOUT_MS=400` in the environment of
 * `harness up` becomes `INVENTORY_TIMEOUT_MS=400` for the order service alone (the gateway has a
 * setting of the same name). They win over the same variable set without a prefix (which every
 * service inherits), but not over what the topology sets (addresses, port, service token).
 */
export function scopedEnv(service: ServiceName, env: NodeJS.ProcessEnv): Record<string, string> {
  const prefix = `${service.toUpperCase()}__`;
  const scoped: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && name.startsWith(prefix) && name.length > prefix.length) {
      scoped[name.slice(prefix.length)] = value;
    }
  }
  return scoped;
}

/** The env var naming the base URL a service uses to reach another, e.g. `INVENTORY_URL`. */
export const urlVar = (service: ServiceName): string => `${service.toUpperCase()}_URL`;

/**
 * The environment each service process gets: where it listens, its database and broker URLs
 * (through its Toxiproxy proxies), and the base URL of every HTTP dependency (through the proxy of
 * that link). Derived from the topology; nothing here is written per service by hand. With
 * `wiring: 'direct'` every one of those addresses is the proxy's upstream instead.
 */
export function serviceEnvironments(
  topology: Topology,
  infra: InfraDescription,
  secrets: RunSecrets,
  wiring: Wiring = 'proxied',
): Record<ServiceName, Record<string, string>> {
  const wired = (url: string): string => (wiring === 'direct' ? bypassProxy(url, infra.proxies) : url);
  const result = {} as Record<ServiceName, Record<string, string>>;
  for (const service of topology.services) {
    const address = infra.services[service.name];
    const env: Record<string, string> = {
      LOG_LEVEL: process.env.HARNESS_SERVICE_LOG_LEVEL ?? 'info',
      ...scopedEnv(service.name, process.env),
      SERVICE_NAME: service.name,
      HOST: '127.0.0.1',
      PORT: String(address.port),
      SERVICE_TOKEN: secrets.serviceToken,
    };
    if (address.databaseUrl) env.DATABASE_URL = wired(address.databaseUrl);
    if (address.amqpUrl) env.AMQP_URL = wired(address.amqpUrl);
    for (const link of topology.links) {
      if (link.kind !== 'http' || link.from !== service.name) continue;
      const proxy = infra.proxies.find((p) => p.link === link.id);
      if (proxy) env[urlVar(link.to)] = `http://${via(proxy, wiring)}`;
    }
    if (service.name === 'gateway') {
      env.API_KEYS = JSON.stringify([
        { id: 'demo', key: secrets.demoApiKey, scopes: ['products:read', 'orders:read', 'orders:write'] },
        { id: 'read-only', key: secrets.readOnlyApiKey, scopes: ['products:read'] },
      ]);
      env.CORS_ORIGIN = infra.services.storefront.url;
    }
    if (service.name === 'storefront') env.API_KEY = secrets.demoApiKey;
    result[service.name] = env;
  }
  return result;
}
