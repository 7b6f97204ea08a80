import fs from 'node:fs';
import path from 'node:path';
import type { Infra, InfraDescription, InfraOptions, ProviderName } from './infraTypes.ts';
import { startJaeger, type JaegerServer } from './local/jaeger.ts';
import { startPostgres, type PostgresServer } from './local/postgres.ts';
import { startKafka, type KafkaServer } from './local/kafka.ts';
import { startRabbitMq, type RabbitMqServer } from './local/rabbitmq.ts';
import { startToxiproxy, type ToxiproxyServer } from './local/toxiproxy.ts';
import { assertPortFree } from './ports.ts';
import type { ServiceAddress } from './addresses.ts';
import type { ServiceName } from './topology.ts';
import { kafkaClientsOf, wireTopology } from './wireTopology.ts';

export { portOf, type ProxyAddress, type ServiceAddress } from './addresses.ts';
export type { Infra, InfraDescription, InfraOptions, ProviderName } from './infraTypes.ts';

/** The provider named by HARNESS_PROVIDER (default local); anything else is a clear error. */
export function providerFromEnv(env: NodeJS.ProcessEnv = process.env): ProviderName {
  const value = env.HARNESS_PROVIDER ?? 'local';
  if (value === 'local' || value === 'containers') return value;
  throw new Error(`HARNESS_PROVIDER must be "local" or "containers", got "${value}"`);
}

/** Whether a run starts Jaeger (and services export spans to it): yes unless HARNESS_TRACES=off. */
export function tracesFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.HARNESS_TRACES ?? 'on';
  if (value === 'on' || value === 'off') return value === 'on';
  throw new Error(`HARNESS_TRACES must be "on" or "off", got "${value}"`);
}

/**
 * Starts PostgreSQL, the broker (RabbitMQ, or Kafka when the topology's broker is Kafka), Toxiproxy
 * and (unless traces are off) Jaeger, creates one database per service and one proxy per link and
 * per service→PostgreSQL/broker connection. On any failure it stops what it started.
 */
export async function startInfra(opts: InfraOptions): Promise<Infra> {
  if ((opts.provider ?? providerFromEnv()) === 'containers') {
    // Loaded only when asked for, so the local provider never loads testcontainers.
    const { startContainerInfra } = await import('./containers/index.ts');
    return startContainerInfra(opts);
  }
  const logDir = path.join(opts.runDir, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const started: Array<{ stop(): Promise<void> }> = [];
  const stopAll = async (): Promise<void> => {
    await Promise.allSettled(started.reverse().map((part) => part.stop()));
  };
  try {
    // A port the caller fixed is checked before anything starts.
    if (opts.toxiproxyPort !== undefined) await assertPortFree(opts.toxiproxyPort, 'Toxiproxy');
    // All start in parallel; allSettled so that a part still starting when another fails is
    // stopped too instead of being orphaned.
    const traces = opts.traces ?? tracesFromEnv();
    const onKafka = opts.topology.broker === 'kafka';
    // On Kafka every broker client gets a listener of its own, advertised at its proxy's address
    // (reserved now, the proxy made once Kafka runs), so a fault on one service's link to the
    // broker reaches that service alone.
    const kafkaClients = onKafka ? await kafkaClientsOf(opts.topology) : [];
    const [pgResult, mqResult, toxiResult, jaegerResult] = await Promise.allSettled([
      startPostgres({ dir: mkdir(opts.runDir, 'postgres'), logDir }),
      onKafka
        ? startKafka({
            dir: mkdir(opts.runDir, 'kafka'),
            logDir,
            ...(kafkaClients.length > 0 ? { clients: kafkaClients } : {}),
          })
        : startRabbitMq({ dir: mkdir(opts.runDir, 'rabbitmq'), logDir }),
      startToxiproxy({
        logDir,
        ...(opts.seed === undefined ? {} : { seed: opts.seed }),
        ...(opts.toxiproxyPort === undefined ? {} : { port: opts.toxiproxyPort }),
      }),
      traces
        ? startJaeger({
            dir: mkdir(opts.runDir, 'jaeger'),
            logDir,
            ...(opts.maxTraces === undefined ? {} : { maxTraces: opts.maxTraces }),
            // A jaeger-ui build of your own, served as Jaeger's web UI.
            ...(process.env.HARNESS_JAEGER_UI_DIR ? { uiAssetsDir: process.env.HARNESS_JAEGER_UI_DIR } : {}),
          })
        : Promise.resolve(undefined),
    ]);
    const results = [pgResult, mqResult, toxiResult, jaegerResult];
    for (const result of results) if (result.status === 'fulfilled' && result.value) started.push(result.value);
    for (const result of results) if (result.status === 'rejected') throw result.reason;
    const postgres = (pgResult as PromiseFulfilledResult<PostgresServer>).value;
    const broker = (mqResult as PromiseFulfilledResult<RabbitMqServer | KafkaServer>).value;
    const rabbitmq = 'epmd' in broker ? broker : undefined;
    const kafka = 'epmd' in broker ? undefined : broker;
    const toxiproxy = (toxiResult as PromiseFulfilledResult<ToxiproxyServer>).value;
    const jaeger = (jaegerResult as PromiseFulfilledResult<JaegerServer | undefined>).value;
    const { services, proxies } = await wireTopology({
      topology: opts.topology,
      postgres,
      broker: rabbitmq ?? { kind: 'kafka', listeners: kafka?.clientListeners ?? {} },
      toxiproxy: toxiproxy.client,
      logDir,
    });
    const description: InfraDescription = {
      runDir: opts.runDir,
      logDir,
      postgres: { url: postgres.url(), port: postgres.port, pid: postgres.process.pid },
      ...(rabbitmq
        ? {
            rabbitmq: { url: rabbitmq.url, port: rabbitmq.port, pid: rabbitmq.process.pid, epmdPid: rabbitmq.epmd.pid },
          }
        : {}),
      ...(kafka ? { kafka: { internalBootstrap: kafka.internalBootstrap, pid: kafka.process.pid } } : {}),
      toxiproxy: { url: toxiproxy.url, port: toxiproxy.port, pid: toxiproxy.process.pid },
      ...(jaeger ? { jaeger: { otlpUrl: jaeger.otlpUrl, uiUrl: jaeger.uiUrl, pid: jaeger.process.pid } } : {}),
      services,
      proxies,
    };
    return {
      description,
      postgres,
      ...(rabbitmq ? { rabbitmq } : {}),
      ...(kafka ? { kafka } : {}),
      toxiproxy,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function mkdir(parent: string, name: string): string {
  const dir = path.join(parent, name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** A service's address in a run; a name the run does not have is an error naming the ones it has. */
export function addressOf(infra: Pick<InfraDescription, 'services'>, name: ServiceName): ServiceAddress {
  const address = infra.services[name];
  if (!address)
    throw new Error(`this run has no service "${name}" (services: ${Object.keys(infra.services).join(', ')})`);
  return address;
}
