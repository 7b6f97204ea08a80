import type { Toxiproxy } from 'toxiproxy-node-client';
import { portOf, type ProxyAddress, type ServiceAddress } from './addresses.ts';
import { createServiceDatabase, databaseUrl, type ServiceDatabase } from './local/databases.ts';
import { seedDatabase } from './local/seedDatabase.ts';
import { freePort, LOOPBACK } from './ports.ts';
import { proxiesOf, type ServiceName, type Topology } from './topology.ts';

export interface WiringInputs {
  topology: Topology;
  /** Superuser URL of the PostgreSQL server, and where it listens on the host. */
  postgres: { url(database?: string): string; port: number };
  /**
   * The broker: RabbitMQ's port and login, or Kafka's client listeners by service (each one's real
   * port, and the address it advertises: where that service's proxy must listen).
   */
  broker: RabbitMqInputs | KafkaInputs;
  toxiproxy: Toxiproxy;
  /** Where seed commands write their logs. */
  logDir: string;
}

export interface RabbitMqInputs {
  port: number;
  user: string;
  password: string;
}

export interface KafkaInputs {
  kind: 'kafka';
  listeners: Readonly<Record<ServiceName, { port: number; bootstrap: string }>>;
}

export interface Wiring {
  services: Record<ServiceName, ServiceAddress>;
  proxies: ProxyAddress[];
}

/**
 * What every provider does once PostgreSQL, the broker and Toxiproxy answer on host loopback ports:
 * one database and role per service that asks for one (seeded when the config says so), a free
 * port per started service (an attached one keeps its URL) and a second one for its gRPC server when
 * it serves a gRPC link, and one Toxiproxy proxy per HTTP or gRPC link and per
 * service→PostgreSQL/broker connection, each listening on a loopback port of its own (on Kafka:
 * where Kafka advertises that service's client listener).
 */
export async function wireTopology(inputs: WiringInputs): Promise<Wiring> {
  const { topology, postgres, broker, toxiproxy } = inputs;
  const rabbitmq = 'kind' in broker ? undefined : broker;
  const kafka = 'kind' in broker ? broker : undefined;
  const databases = new Map<ServiceName, ServiceDatabase>();
  for (const service of topology.services) {
    if (!service.database) continue;
    const db = await createServiceDatabase(postgres.url(), service.name);
    databases.set(service.name, db);
    if (service.seed)
      await seedDatabase(service.name, service.seed, databaseUrl(db, LOOPBACK, postgres.port), inputs.logDir);
  }
  const upstreams = new Map<ServiceName, { host: string; port: number }>();
  for (const service of topology.services) {
    if (service.url) {
      const attached = new URL(service.url);
      const port = Number(attached.port || (attached.protocol === 'https:' ? 443 : 80));
      upstreams.set(service.name, { host: attached.hostname, port });
    } else upstreams.set(service.name, { host: LOOPBACK, port: await freePort() });
  }
  const grpcPorts = new Map<ServiceName, number>();
  for (const link of topology.links) {
    if (link.kind === 'grpc' && !grpcPorts.has(link.to)) grpcPorts.set(link.to, await freePort());
  }
  const proxies: ProxyAddress[] = [];
  for (const spec of proxiesOf(topology)) {
    const grpcLink = topology.links.some((link) => link.id === spec.link && link.kind === 'grpc');
    const listener = spec.kind === 'kafka' ? kafka?.listeners[spec.from] : undefined;
    if (spec.kind === 'kafka' && !listener) throw new Error(`Kafka has no client listener for ${spec.from}`);
    if (spec.kind === 'rabbitmq' && !rabbitmq) throw new Error(`${spec.from} needs RabbitMQ, which this run has not`);
    const upstream = grpcLink
      ? `${LOOPBACK}:${grpcPorts.get(spec.to) ?? 0}`
      : spec.to === 'postgres'
        ? `${LOOPBACK}:${postgres.port}`
        : spec.kind === 'rabbitmq'
          ? `${LOOPBACK}:${rabbitmq?.port ?? 0}`
          : listener
            ? `${LOOPBACK}:${listener.port}`
            : `${upstreams.get(spec.to)?.host ?? LOOPBACK}:${upstreams.get(spec.to)?.port ?? 0}`;
    // A Kafka proxy listens where Kafka advertises that service's listener (reserved before Kafka started).
    const listen = listener ? listener.bootstrap : `${LOOPBACK}:${await freePort()}`;
    const proxy = { ...spec, listen, upstream };
    await toxiproxy.createProxy({ name: proxy.name, listen: proxy.listen, upstream: proxy.upstream });
    proxies.push(proxy);
  }
  const services: Record<ServiceName, ServiceAddress> = {};
  for (const service of topology.services) {
    const port = upstreams.get(service.name)?.port ?? 0;
    const address: ServiceAddress = {
      name: service.name,
      port,
      url: service.url ?? `http://${LOOPBACK}:${port}`,
      ...(service.url ? { attached: true } : {}),
    };
    const grpcPort = grpcPorts.get(service.name);
    if (grpcPort !== undefined) address.grpcPort = grpcPort;
    const db = databases.get(service.name);
    const dbProxy = proxies.find((p) => p.from === service.name && p.kind === 'postgres');
    if (db && dbProxy) address.databaseUrl = databaseUrl(db, LOOPBACK, portOf(dbProxy.listen));
    const mqProxy = proxies.find((p) => p.from === service.name && p.kind === 'rabbitmq');
    if (mqProxy && rabbitmq) address.amqpUrl = `amqp://${rabbitmq.user}:${rabbitmq.password}@${mqProxy.listen}`;
    const kafkaProxy = proxies.find((p) => p.from === service.name && p.kind === 'kafka');
    if (kafkaProxy) address.kafkaBrokers = kafkaProxy.listen;
    services[service.name] = address;
  }
  return { services, proxies };
}

/**
 * On Kafka, one client listener per service that connects to the broker, advertised at a loopback
 * port reserved for that service's proxy (made by wireTopology once Kafka runs): a fault on one
 * service's link to the broker then reaches that service alone.
 */
export async function kafkaClientsOf(
  topology: Topology,
): Promise<{ name: string; advertised: { host: string; port: number } }[]> {
  const clients = [];
  for (const service of topology.services)
    if (service.broker) clients.push({ name: service.name, advertised: { host: LOOPBACK, port: await freePort() } });
  return clients;
}
