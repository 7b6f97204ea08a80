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
  rabbitmq: { port: number; user: string; password: string };
  toxiproxy: Toxiproxy;
  /** Where seed commands write their logs. */
  logDir: string;
}

export interface Wiring {
  services: Record<ServiceName, ServiceAddress>;
  proxies: ProxyAddress[];
}

/**
 * What every provider does once PostgreSQL, RabbitMQ and Toxiproxy answer on host loopback ports:
 * one database and role per service that asks for one (seeded when the config says so), a free
 * port per started service (an attached one keeps its URL) and a second one for its gRPC server when
 * it serves a gRPC link, and one Toxiproxy proxy per HTTP or gRPC link and per
 * service→PostgreSQL/RabbitMQ connection, each listening on a loopback port of its own.
 */
export async function wireTopology(inputs: WiringInputs): Promise<Wiring> {
  const { topology, postgres, rabbitmq, toxiproxy } = inputs;
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
    const upstream = grpcLink
      ? `${LOOPBACK}:${grpcPorts.get(spec.to) ?? 0}`
      : spec.to === 'postgres'
        ? `${LOOPBACK}:${postgres.port}`
        : spec.to === 'rabbitmq'
          ? `${LOOPBACK}:${rabbitmq.port}`
          : `${upstreams.get(spec.to)?.host ?? LOOPBACK}:${upstreams.get(spec.to)?.port ?? 0}`;
    const proxy = { ...spec, listen: `${LOOPBACK}:${await freePort()}`, upstream };
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
    if (mqProxy) address.amqpUrl = `amqp://${rabbitmq.user}:${rabbitmq.password}@${mqProxy.listen}`;
    services[service.name] = address;
  }
  return { services, proxies };
}
