import { randomBytes } from 'node:crypto';
import type { ProxyAddress, ServiceAddress } from './addresses.ts';
import type { InfraDescription } from './infra.ts';
import { fillTemplate, type TemplateValues } from './config/envTemplate.ts';
import type { ServiceName, Topology } from './topology.ts';

/**
 * Secrets of one run, made anew each time: the internal service token and the reference gateway's
 * API keys always, plus every name a config declares in `secrets` (usable as `{secret:NAME}`).
 */
export interface RunSecrets {
  serviceToken: string;
  /** Full access: products:read, orders:read, orders:write. */
  demoApiKey: string;
  /** products:read only, to show 403 on order routes. */
  readOnlyApiKey: string;
  [name: string]: string;
}

const SECRET_PREFIXES: Record<string, string> = { serviceToken: 'svc', demoApiKey: 'demo', readOnlyApiKey: 'ro' };

export function newRunSecrets(names: readonly string[] = []): RunSecrets {
  const token = (prefix: string): string => `${prefix}_${randomBytes(16).toString('hex')}`;
  const secrets: RunSecrets = { serviceToken: token('svc'), demoApiKey: token('demo'), readOnlyApiKey: token('ro') };
  for (const name of names) secrets[name] ??= token(SECRET_PREFIXES[name] ?? 'sec');
  return secrets;
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
export const urlVar = (service: ServiceName): string => `${service.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_URL`;

/** The env var naming the host:port a service uses to reach another's gRPC server, e.g. `INVENTORY_GRPC_ADDRESS`. */
export const grpcAddressVar = (service: ServiceName): string =>
  `${service.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_GRPC_ADDRESS`;

/** The env var naming the origin a service uses for another's GraphQL endpoint, e.g. `GATEWAY_GRAPHQL_URL`. */
export const graphqlUrlVar = (service: ServiceName): string =>
  `${service.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_GRAPHQL_URL`;

/** Where the run keeps its files and where the config lives, for `{runDir}` and `{configDir}`. */
export interface RunPlaces {
  runDir?: string;
  configDir?: string;
  /** Per HTTP link id: the URL its caller uses instead of the proxy's (a tap in front of it). */
  linkUrls?: Readonly<Record<string, string>>;
  /** Per gRPC link id: the host:port its caller uses instead of the proxy's (a tap in front of it). */
  grpcLinkAddresses?: Readonly<Record<string, string>>;
}

/** The gRPC servers a service calls: callee → host:port (the link's proxy, or its upstream when direct). */
function grpcAddresses(
  topology: Topology,
  infra: InfraDescription,
  service: ServiceName,
  wiring: Wiring,
  places: RunPlaces,
): Record<ServiceName, string> {
  const addresses: Record<ServiceName, string> = {};
  for (const link of topology.links) {
    if (link.kind !== 'grpc' || link.from !== service) continue;
    const proxy = infra.proxies.find((p) => p.link === link.id);
    const replaced = places.grpcLinkAddresses?.[link.id];
    if (replaced) addresses[link.to] = replaced;
    else if (proxy) addresses[link.to] = via(proxy, wiring);
  }
  return addresses;
}

/** The GraphQL endpoints a service calls: callee → origin of the link's proxy (its upstream when direct). */
function graphqlUrls(
  topology: Topology,
  infra: InfraDescription,
  service: ServiceName,
  wiring: Wiring,
): Record<ServiceName, string> {
  const urls: Record<ServiceName, string> = {};
  for (const link of topology.links) {
    if (link.kind !== 'graphql' || link.from !== service) continue;
    const proxy = infra.proxies.find((p) => p.link === link.id);
    if (proxy) urls[link.to] = `http://${via(proxy, wiring)}`;
  }
  return urls;
}

/** The placeholder values of one service in one run (see config/envTemplate.ts). */
export function templateValues(
  topology: Topology,
  infra: InfraDescription,
  secrets: RunSecrets,
  service: ServiceName,
  wiring: Wiring = 'proxied',
  places: RunPlaces = {},
): TemplateValues {
  const wired = (url: string): string => (wiring === 'direct' ? bypassProxy(url, infra.proxies) : url);
  const address = infra.services[service];
  const url: Record<string, string> = {};
  for (const link of topology.links) {
    if (link.kind !== 'http' || link.from !== service) continue;
    const proxy = infra.proxies.find((p) => p.link === link.id);
    const replaced = places.linkUrls?.[link.id];
    if (replaced) url[link.to] = replaced;
    else if (proxy) url[link.to] = `http://${via(proxy, wiring)}`;
  }
  return {
    plain: {
      port: address ? String(address.port) : undefined,
      host: LOOPBACK_HOST,
      url: address?.url,
      databaseUrl: address?.databaseUrl === undefined ? undefined : wired(address.databaseUrl),
      brokerUrl: brokerUrlOf(address) === undefined ? undefined : wired(brokerUrlOf(address) ?? ''),
      configDir: places.configDir,
      runDir: places.runDir ?? infra.runDir,
    },
    url,
    serviceUrl: Object.fromEntries(Object.values(infra.services).map((other) => [other.name, other.url])),
    secret: { ...secrets },
  };
}

const LOOPBACK_HOST = '127.0.0.1';

/**
 * `{brokerUrl}`: on RabbitMQ the AMQP URL with its login, on Kafka `kafka://host:port` (the
 * service's bootstrap address, its own proxy); both through the service's broker proxy.
 */
function brokerUrlOf(address: ServiceAddress | undefined): string | undefined {
  if (address?.amqpUrl !== undefined) return address.amqpUrl;
  if (address?.kafkaBrokers !== undefined) return `kafka://${address.kafkaBrokers}`;
  return undefined;
}

/**
 * The environment each started service process gets: where it listens, its database and broker
 * addresses (through its Toxiproxy proxies: `BROKER=rabbitmq` and `AMQP_URL`, or `BROKER=kafka` and
 * `KAFKA_BROKERS=host:port`), the base URL of every HTTP dependency (through the proxy of
 * that link), `GRPC_PORT` when it serves a gRPC link and `<CALLEE>_GRPC_ADDRESS` (host:port through
 * the link's proxy) for every gRPC link it calls, `<CALLEE>_GRAPHQL_URL` (the origin of the link's
 * proxy) for every GraphQL link it calls, OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_SERVICE_NAME when the run has Jaeger,
 * HARNESS_STARTED_BY=harness (services honour HARNESS_MUTANTS only then), then the
 * `env` of its config entry with its placeholders filled. Derived from the
 * topology; nothing here is written per service by hand. With `wiring: 'direct'` every one of those
 * addresses is the proxy's upstream instead.
 */
export function serviceEnvironments(
  topology: Topology,
  infra: InfraDescription,
  secrets: RunSecrets,
  wiring: Wiring = 'proxied',
  places: RunPlaces = {},
): Record<ServiceName, Record<string, string>> {
  const result: Record<ServiceName, Record<string, string>> = {};
  for (const service of topology.services) {
    if (!service.launch) continue;
    const values = templateValues(topology, infra, secrets, service.name, wiring, places);
    const env: Record<string, string> = {
      LOG_LEVEL: process.env.HARNESS_SERVICE_LOG_LEVEL ?? 'info',
      ...scopedEnv(service.name, process.env),
      SERVICE_NAME: service.name,
      HOST: LOOPBACK_HOST,
      PORT: values.plain.port ?? '',
      // Marks a process the harness started: only there do services honour HARNESS_MUTANTS.
      HARNESS_STARTED_BY: 'harness',
      // Where spans go when the run has Jaeger (the standard OpenTelemetry variables).
      ...(infra.jaeger ? { OTEL_EXPORTER_OTLP_ENDPOINT: infra.jaeger.otlpUrl, OTEL_SERVICE_NAME: service.name } : {}),
    };
    if (values.plain.databaseUrl) env.DATABASE_URL = values.plain.databaseUrl;
    const address = infra.services[service.name];
    if (values.plain.brokerUrl && address?.amqpUrl !== undefined) {
      env.BROKER = 'rabbitmq';
      env.AMQP_URL = values.plain.brokerUrl;
    }
    if (values.plain.brokerUrl && address?.kafkaBrokers !== undefined) {
      env.BROKER = 'kafka';
      env.KAFKA_BROKERS = values.plain.brokerUrl.slice('kafka://'.length);
    }
    for (const [callee, url] of Object.entries(values.url)) env[urlVar(callee)] = url;
    const grpcPort = infra.services[service.name]?.grpcPort;
    if (grpcPort !== undefined) env.GRPC_PORT = String(grpcPort);
    for (const [callee, address] of Object.entries(grpcAddresses(topology, infra, service.name, wiring, places)))
      env[grpcAddressVar(callee)] = address;
    for (const [callee, url] of Object.entries(graphqlUrls(topology, infra, service.name, wiring)))
      env[graphqlUrlVar(callee)] = url;
    for (const [name, template] of Object.entries(service.launch.env)) env[name] = fillTemplate(template, values);
    result[service.name] = env;
  }
  return result;
}
