import type { BrokerKind } from './config/brokerKind.ts';

/**
 * A system's topology: the single source from which service config, the Toxiproxy proxy list, the
 * Pact link list, chaos targets and the report's graph are derived. It is made from a
 * `harness.config.ts` (see `config/`); service and link names are data checked when the config
 * loads, not closed unions.
 */
export type ServiceName = string;
export type LinkId = string;

/** A command with its resolved arguments, working directory and environment template. */
export interface ResolvedCommand {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

/** How the harness starts a service: placeholders in command, args, env and ready are filled per run. */
export interface ServiceLaunch extends ResolvedCommand {
  /** A path on the service or a URL template; ready when it answers 2xx. */
  ready: string;
  readyTimeoutMs: number;
  build?: ResolvedCommand;
}

export interface ServiceSpec {
  name: ServiceName;
  description: string;
  /** Has a PostgreSQL database of its own (named after the service). */
  database: boolean;
  /** Seed for its database, run once after the database is created. */
  seed?: { sql: string } | ResolvedCommand;
  /** Connects to the broker. */
  broker: boolean;
  /** Its OpenAPI contract's name (the file name without extension), if it serves one. */
  openapi?: string;
  /** The OpenAPI file itself (absolute). */
  openapiFile?: string;
  /** How to start it; absent for a service the harness attaches to. */
  launch?: ServiceLaunch;
  /** Attach mode: the base URL of a service that already runs. */
  url?: string;
}

export interface HttpLink {
  id: LinkId;
  kind: 'http';
  from: ServiceName;
  to: ServiceName;
  /** The provider's OpenAPI contract: its name (file name without extension) and file. */
  contract: { openapi: string; file?: string };
  purpose: string;
}

export interface MessageLink {
  id: LinkId;
  kind: 'amqp';
  from: ServiceName;
  to: ServiceName;
  /** AsyncAPI contract (name and file) and the messages this link carries. */
  contract: { asyncapi: string; messages: readonly string[]; file?: string };
  purpose: string;
}

export interface GrpcLink {
  id: LinkId;
  kind: 'grpc';
  from: ServiceName;
  to: ServiceName;
  /** The .proto file's name (without extension), the fully qualified service, and the file. */
  contract: { proto: string; service: string; file?: string };
  purpose: string;
}

/**
 * GraphQL over HTTP: the caller POSTs operations to the provider's HTTP server, through a proxy of
 * this link's own (apart from an HTTP link between the same services), so faults hit it alone.
 */
export interface GraphqlLink {
  id: LinkId;
  kind: 'graphql';
  from: ServiceName;
  to: ServiceName;
  /**
   * The SDL's name (file name without extension, e.g. `gateway`), the file as the config names it
   * (`contracts/graphql/gateway.graphql`, shown in reports) and the file itself (absolute).
   */
  contract: { graphql: string; sdl?: string; file?: string };
  purpose: string;
}

export type LinkSpec = HttpLink | MessageLink | GrpcLink | GraphqlLink;

/** Links a caller makes calls on (HTTP, GraphQL or gRPC), as opposed to message links. */
export const isCallLink = (link: LinkSpec): link is HttpLink | GrpcLink | GraphqlLink => link.kind !== 'amqp';

/** Links whose calls are HTTP requests to the provider's HTTP server (REST or GraphQL). */
export const isHttpCallLink = (link: LinkSpec): link is HttpLink | GraphqlLink =>
  link.kind === 'http' || link.kind === 'graphql';

export interface Topology {
  /** The system's name (from the config). */
  name?: string;
  services: readonly ServiceSpec[];
  links: readonly LinkSpec[];
  /** The broker carrying its message links (absent: RabbitMQ). */
  broker?: BrokerKind;
}

export type ProxyKind = 'link' | 'postgres' | BrokerKind;

/** A proxy between a service and the broker (RabbitMQ or Kafka, whichever the run uses). */
export const isBrokerProxy = (proxy: { kind: ProxyKind }): boolean =>
  proxy.kind === 'rabbitmq' || proxy.kind === 'kafka';

export interface ProxySpec {
  /** Toxiproxy proxy name, e.g. `l4-order-inventory`, `order-postgres`. */
  name: string;
  kind: ProxyKind;
  /** The client side of the connection. */
  from: ServiceName;
  /** The server side: a service, or the shared PostgreSQL / broker (RabbitMQ or Kafka). */
  to: string;
  /** The link an HTTP, GraphQL or gRPC proxy carries. */
  link?: LinkId;
}

/**
 * One proxy per HTTP, GraphQL or gRPC link, per service→PostgreSQL and per service→broker connection (to
 * RabbitMQ, or with `broker: 'kafka'` to that service's own client listener on Kafka).
 */
export function proxiesOf(topology: Topology): ProxySpec[] {
  const proxies: ProxySpec[] = [];
  for (const link of topology.links) {
    if (!isCallLink(link)) continue;
    proxies.push({
      name: `${link.id.toLowerCase()}-${link.from}-${link.to}`,
      kind: 'link',
      from: link.from,
      to: link.to,
      link: link.id,
    });
  }
  for (const service of topology.services) {
    if (service.database)
      proxies.push({ name: `${service.name}-postgres`, kind: 'postgres', from: service.name, to: 'postgres' });
    const broker = topology.broker ?? 'rabbitmq';
    if (service.broker)
      proxies.push({ name: `${service.name}-${broker}`, kind: broker, from: service.name, to: broker });
  }
  return proxies;
}

/** The proxies whose faults hit a link: the HTTP proxy, or both broker connections of a message link. */
export function proxiesOfLink(topology: Topology, id: LinkId): ProxySpec[] {
  const link = topology.links.find((candidate) => candidate.id === id);
  if (!link) throw new Error(`unknown link ${id}`);
  const all = proxiesOf(topology);
  if (isCallLink(link)) return all.filter((proxy) => proxy.link === id);
  return all.filter((proxy) => isBrokerProxy(proxy) && (proxy.from === link.from || proxy.from === link.to));
}

export function serviceOf(topology: Topology, name: ServiceName): ServiceSpec {
  const service = topology.services.find((candidate) => candidate.name === name);
  if (!service) throw new Error(`unknown service ${name}`);
  return service;
}

/**
 * The order to start services in: every service after the ones it calls over HTTP and after the
 * consumers of the messages it publishes (so their queues exist before its first event); ties keep
 * the config's order, and services in a cycle start in config order after the rest.
 */
export function startOrder(topology: Topology): ServiceName[] {
  const pending = topology.services.map((service) => service.name);
  const calls = (name: ServiceName): ServiceName[] =>
    topology.links.filter((link) => link.from === name).map((link) => link.to);
  const order: ServiceName[] = [];
  while (pending.length > 0) {
    const next = pending.find((name) => calls(name).every((callee) => callee === name || order.includes(callee)));
    const chosen = next ?? pending[0];
    if (chosen === undefined) break;
    order.push(chosen);
    pending.splice(pending.indexOf(chosen), 1);
  }
  return order;
}

/** `entry` and every service it reaches over links (HTTP calls and published messages), in config order. */
export function reachableFrom(topology: Topology, entry: ServiceName): ServiceName[] {
  const reached = new Set<ServiceName>([entry]);
  for (let grew = true; grew;) {
    grew = false;
    for (const link of topology.links) {
      if (reached.has(link.from) && !reached.has(link.to)) {
        reached.add(link.to);
        grew = true;
      }
    }
  }
  return topology.services.map((service) => service.name).filter((name) => reached.has(name));
}
