// The shapes a provider's infrastructure takes, in a module of their own so that the providers
// (local in infra.ts, containers/ loaded on demand) share them without importing each other.
import type { ProxyAddress, ServiceAddress } from './addresses.ts';
import type { KafkaServer } from './local/kafka.ts';
import type { PostgresServer } from './local/postgres.ts';
import type { RabbitMqServer } from './local/rabbitmq.ts';
import type { ToxiproxyServer } from './local/toxiproxy.ts';
import type { ServiceName, Topology } from './topology.ts';

/** Everything a run started, as plain data (written to the run's state file). */
export interface InfraDescription {
  /** Which provider started it (absent: local). Containers have pid -1 and are listed below. */
  provider?: 'local' | 'containers';
  /** The containers' ids: the broker's under its name (rabbitmq or kafka). */
  containers?: { postgres: string; rabbitmq?: string; kafka?: string; toxiproxy: string };
  runDir: string;
  logDir: string;
  postgres: { url: string; port: number; pid: number };
  /** RabbitMQ, on a run whose broker is RabbitMQ (absent on a Kafka run). */
  rabbitmq?: { url: string; port: number; pid: number; epmdPid: number };
  /**
   * Kafka, on a run whose broker is Kafka: the harness's own listener (`internalBootstrap`, no
   * proxy) and the JVM's pid. Services reach it through their own proxies (`kafkaBrokers`).
   */
  kafka?: { internalBootstrap: string; pid: number };
  toxiproxy: { url: string; port: number; pid: number };
  /**
   * Jaeger, where services export their spans (OTLP/HTTP at `otlpUrl`, the UI and query API at
   * `uiUrl`). Absent when traces are off, on the containers provider, and in older state files.
   */
  jaeger?: { otlpUrl: string; uiUrl: string; pid: number };
  services: Record<ServiceName, ServiceAddress>;
  proxies: ProxyAddress[];
}

export type ProviderName = 'local' | 'containers';

/** What a provider hands back; local processes and containers both fit. */
export interface Infra {
  description: InfraDescription;
  postgres: Omit<PostgresServer, 'process'>;
  /** Absent when the run's broker is Kafka. */
  rabbitmq?: Omit<RabbitMqServer, 'process' | 'epmd'>;
  /** Present when the run's broker is Kafka: `stopNode()` / `startNode()` are a broker outage. */
  kafka?: Omit<KafkaServer, 'process'>;
  toxiproxy: Omit<ToxiproxyServer, 'process'>;
  stop(): Promise<void>;
}

export interface InfraOptions {
  runDir: string;
  topology: Topology;
  seed?: number;
  /** A fixed port for the Toxiproxy API (default: a free one). */
  toxiproxyPort?: number;
  /** local processes or containers through testcontainers (default: HARNESS_PROVIDER, else local). */
  provider?: ProviderName;
  /** Start Jaeger so services export spans (local provider only; default: HARNESS_TRACES, else on). */
  traces?: boolean;
  /** Traces Jaeger keeps in memory, the oldest dropped first (default 2000). */
  maxTraces?: number;
}
