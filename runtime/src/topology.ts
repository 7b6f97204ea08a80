/**
 * The reference system's topology: the single source from which service config, the Toxiproxy
 * proxy list, the Pact link list, chaos targets and the report's graph are derived.
 */
export const SERVICE_NAMES = ['gateway', 'order', 'inventory', 'payment', 'notification', 'storefront'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface ServiceSpec {
  name: ServiceName;
  description: string;
  /** Has a PostgreSQL database of its own (named after the service). */
  database: boolean;
  /** Connects to RabbitMQ. */
  broker: boolean;
  /** Its OpenAPI contract (file name under contracts/openapi without extension), if it serves one. */
  openapi?: string;
}

export type LinkId = 'L1' | 'L2' | 'L3' | 'L4' | 'L5' | 'L6' | 'L7' | 'L8';

export interface HttpLink {
  id: LinkId;
  kind: 'http';
  from: ServiceName;
  to: ServiceName;
  /** The provider's OpenAPI contract. */
  contract: { openapi: string };
  purpose: string;
}

export interface MessageLink {
  id: LinkId;
  kind: 'amqp';
  from: ServiceName;
  to: ServiceName;
  /** AsyncAPI file and the messages this link carries. */
  contract: { asyncapi: string; messages: readonly string[] };
  purpose: string;
}

export type LinkSpec = HttpLink | MessageLink;

export interface Topology {
  services: readonly ServiceSpec[];
  links: readonly LinkSpec[];
}

export const referenceTopology: Topology = {
  services: [
    {
      name: 'gateway',
      description: 'public API /api/v1, auth, rate limit, order view',
      database: true,
      broker: false,
      openapi: 'gateway',
    },
    { name: 'order', description: 'order saga, outbox', database: true, broker: true, openapi: 'order' },
    {
      name: 'inventory',
      description: 'products, stock, reservations',
      database: true,
      broker: true,
      openapi: 'inventory',
    },
    {
      name: 'payment',
      description: 'charges and refunds with idempotency keys, simulated PSP',
      database: true,
      broker: false,
      openapi: 'payment',
    },
    {
      name: 'notification',
      description: 'idempotent consumer of order events, sent emails',
      database: true,
      broker: true,
      openapi: 'notification',
    },
    { name: 'storefront', description: 'web page using the generated gateway client', database: false, broker: false },
  ],
  links: [
    {
      id: 'L1',
      kind: 'http',
      from: 'storefront',
      to: 'gateway',
      contract: { openapi: 'gateway' },
      purpose: 'browse, order, order status',
    },
    {
      id: 'L2',
      kind: 'http',
      from: 'gateway',
      to: 'order',
      contract: { openapi: 'order' },
      purpose: 'place and read orders',
    },
    {
      id: 'L3',
      kind: 'http',
      from: 'gateway',
      to: 'inventory',
      contract: { openapi: 'inventory' },
      purpose: 'catalog',
    },
    {
      id: 'L4',
      kind: 'http',
      from: 'order',
      to: 'inventory',
      contract: { openapi: 'inventory' },
      purpose: 'reserve and release stock',
    },
    {
      id: 'L5',
      kind: 'http',
      from: 'order',
      to: 'payment',
      contract: { openapi: 'payment' },
      purpose: 'charges and refunds',
    },
    {
      id: 'L6',
      kind: 'amqp',
      from: 'order',
      to: 'notification',
      contract: { asyncapi: 'order-events', messages: ['OrderConfirmed', 'OrderCancelled'] },
      purpose: 'order events to notify customers',
    },
    {
      id: 'L7',
      kind: 'amqp',
      from: 'order',
      to: 'inventory',
      contract: { asyncapi: 'order-events', messages: ['OrderCancelled'] },
      purpose: 'release stock of cancelled orders',
    },
    {
      id: 'L8',
      kind: 'http',
      from: 'gateway',
      to: 'notification',
      contract: { openapi: 'notification' },
      purpose: 'notifications in the order view',
    },
  ],
};

export type ProxyKind = 'link' | 'postgres' | 'rabbitmq';

export interface ProxySpec {
  /** Toxiproxy proxy name, e.g. `l4-order-inventory`, `order-postgres`. */
  name: string;
  kind: ProxyKind;
  /** The client side of the connection. */
  from: ServiceName;
  /** The server side: a service, or the shared PostgreSQL / RabbitMQ. */
  to: ServiceName | 'postgres' | 'rabbitmq';
  /** The link an HTTP proxy carries. */
  link?: LinkId;
}

/** One proxy per HTTP link, per service→PostgreSQL and per service→RabbitMQ connection. */
export function proxiesOf(topology: Topology): ProxySpec[] {
  const proxies: ProxySpec[] = [];
  for (const link of topology.links) {
    if (link.kind !== 'http') continue;
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
    if (service.broker)
      proxies.push({ name: `${service.name}-rabbitmq`, kind: 'rabbitmq', from: service.name, to: 'rabbitmq' });
  }
  return proxies;
}

/** The proxies whose faults hit a link: the HTTP proxy, or both broker connections of a message link. */
export function proxiesOfLink(topology: Topology, id: LinkId): ProxySpec[] {
  const link = topology.links.find((candidate) => candidate.id === id);
  if (!link) throw new Error(`unknown link ${id}`);
  const all = proxiesOf(topology);
  if (link.kind === 'http') return all.filter((proxy) => proxy.link === id);
  return all.filter((proxy) => proxy.kind === 'rabbitmq' && (proxy.from === link.from || proxy.from === link.to));
}

export function serviceOf(topology: Topology, name: ServiceName): ServiceSpec {
  const service = topology.services.find((candidate) => candidate.name === name);
  if (!service) throw new Error(`unknown service ${name}`);
  return service;
}
