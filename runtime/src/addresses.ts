import type { ProxySpec, ServiceName } from './topology.ts';

/** A Toxiproxy proxy of a run: where it listens and where it forwards to. */
export interface ProxyAddress extends ProxySpec {
  listen: string;
  upstream: string;
}

export interface ServiceAddress {
  name: ServiceName;
  /** Where the service itself listens. */
  port: number;
  url: string;
  /** Where its gRPC server listens, when it is the server of a gRPC link (its `GRPC_PORT`). */
  grpcPort?: number;
  /** Its database URL through its PostgreSQL proxy. */
  databaseUrl?: string;
  /** Its broker URL through its RabbitMQ proxy (a run on RabbitMQ). */
  amqpUrl?: string;
  /** Its Kafka bootstrap `host:port`: its Kafka proxy, in front of its own client listener (a run on Kafka). */
  kafkaBrokers?: string;
  /** A service that already ran (attach mode): nothing was started for it. */
  attached?: boolean;
}

/** The port of a `host:port` address. */
export function portOf(address: string): number {
  return Number(address.slice(address.lastIndexOf(':') + 1));
}
