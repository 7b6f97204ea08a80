import type { Toxiproxy } from 'toxiproxy-node-client';
import type { ProxyAddress, ServiceAddress } from '../infra.ts';
import { portOf } from '../infra.ts';
import { createServiceDatabase, databaseUrl, type ServiceDatabase } from '../local/databases.ts';
import { freePort, LOOPBACK } from '../ports.ts';
import { proxiesOf, type ServiceName, type Topology } from '../topology.ts';

export interface WiringInputs {
  topology: Topology;
  /** Superuser URL of the PostgreSQL server, and where it listens on the host. */
  postgres: { url(database?: string): string; port: number };
  rabbitmq: { port: number; user: string; password: string };
  toxiproxy: Toxiproxy;
}

export interface Wiring {
  services: Record<ServiceName, ServiceAddress>;
  proxies: ProxyAddress[];
}

/**
 * What every provider does once PostgreSQL, RabbitMQ and Toxiproxy answer on host loopback ports:
 * one database and role per service, a free port per service, and one Toxiproxy proxy per link and
 * per service→PostgreSQL/RabbitMQ connection, each listening on a loopback port of its own.
 * (The same steps as startInfra's for the local provider.)
 */
export async function wireTopology(inputs: WiringInputs): Promise<Wiring> {
  const { topology, postgres, rabbitmq, toxiproxy } = inputs;
  const databases = new Map<ServiceName, ServiceDatabase>();
  for (const service of topology.services) {
    if (service.database) databases.set(service.name, await createServiceDatabase(postgres.url(), service.name));
  }
  const servicePorts = new Map<ServiceName, number>();
  for (const service of topology.services) servicePorts.set(service.name, await freePort());
  const proxies: ProxyAddress[] = [];
  for (const spec of proxiesOf(topology)) {
    const upstreamPort =
      spec.to === 'postgres' ? postgres.port : spec.to === 'rabbitmq' ? rabbitmq.port : servicePorts.get(spec.to);
    const proxy = { ...spec, listen: `${LOOPBACK}:${await freePort()}`, upstream: `${LOOPBACK}:${upstreamPort}` };
    await toxiproxy.createProxy({ name: proxy.name, listen: proxy.listen, upstream: proxy.upstream });
    proxies.push(proxy);
  }
  const services = {} as Record<ServiceName, ServiceAddress>;
  for (const service of topology.services) {
    const port = servicePorts.get(service.name) ?? 0;
    const address: ServiceAddress = { name: service.name, port, url: `http://${LOOPBACK}:${port}` };
    const db = databases.get(service.name);
    const dbProxy = proxies.find((p) => p.from === service.name && p.kind === 'postgres');
    if (db && dbProxy) address.databaseUrl = databaseUrl(db, LOOPBACK, portOf(dbProxy.listen));
    const mqProxy = proxies.find((p) => p.from === service.name && p.kind === 'rabbitmq');
    if (mqProxy) address.amqpUrl = `amqp://${rabbitmq.user}:${rabbitmq.password}@${mqProxy.listen}`;
    services[service.name] = address;
  }
  return { services, proxies };
}
