import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ManagedProcess } from '../process.ts';
import { freePort, isListening, LOOPBACK } from '../ports.ts';
import { MissingToolError, requireTool, toolsDir } from '../tools.ts';
import { waitUntil } from '../wait.ts';

const run = promisify(execFile);

export interface KafkaServer {
  host: string;
  /** The client listener's real port (what a proxy in front of it forwards to). */
  port: number;
  /** `host:port` clients bootstrap from: the advertised address when one was given. */
  bootstrap: string;
  /** A listener of its own for the harness (readiness, admin), advertised at its real address. */
  internalBootstrap: string;
  /** Every client listener by name (`client` when only `advertised` was given): real port and advertised address. */
  clientListeners: Record<string, { port: number; bootstrap: string }>;
  clusterId: string;
  /** The running JVM (a new one after `startNode()`). */
  readonly process: ManagedProcess;
  /** Stops the JVM and keeps its data, ports and config: a broker outage. */
  stopNode(): Promise<void>;
  /** Starts the node again on the same data, ports and config; resolves once it answers. */
  startNode(): Promise<void>;
  stop(): Promise<void>;
}

export interface KafkaOptions {
  dir: string;
  logDir: string;
  /**
   * Where clients are told to connect (the client listener's advertised address), e.g. the listen
   * address of a Toxiproxy proxy in front of the broker, so every client goes through the proxy.
   * Default: the broker's own port.
   */
  advertised?: { host: string; port: number };
  /**
   * One client listener per name instead, each on its own port and advertised at its own address:
   * one per service, each behind the service's own proxy, so a fault on one service's link to the
   * broker leaves the others alone (a client stays on the listener it bootstrapped from). The
   * first one is `port` / `bootstrap`.
   */
  clients?: readonly { name: string; advertised: { host: string; port: number } }[];
  /** JVM heap cap. Default 256m. */
  maxHeap?: string;
  /** Partitions of a topic created without a count. Default 3. */
  partitions?: number;
  readyTimeoutMs?: number;
}

/** Where ci/setup.sh puts the broker's jars (resolved with Maven at the version pinned in ci/tools.env). */
export function kafkaLibsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HARNESS_KAFKA_LIBS) return env.HARNESS_KAFKA_LIBS;
  return path.join(toolsDir(env), `kafka-${pinnedKafkaVersion()}`, 'libs');
}

/** KAFKA_VERSION from tools.env: ci/tools.env in this repository, tools.env beside a packed harness. */
export function pinnedKafkaVersion(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    for (const file of [path.join(dir, 'ci', 'tools.env'), path.join(dir, 'tools.env')]) {
      const match = fs.existsSync(file) ? /^KAFKA_VERSION=(\S+)/m.exec(fs.readFileSync(file, 'utf8')) : null;
      if (match?.[1]) return match[1];
    }
    if (path.dirname(dir) === dir) throw new Error('KAFKA_VERSION: no tools.env found above the runtime');
  }
}

function requireKafkaLibs(): string {
  const libs = kafkaLibsDir();
  if (!fs.existsSync(path.join(libs, '.complete'))) {
    throw new MissingToolError(
      'kafka',
      `The Kafka broker's jars are not in ${libs}. Run \`npm run setup\` (ci/setup.sh) to fetch them.`,
    );
  }
  return libs;
}

/**
 * One Kafka node in KRaft mode (broker and controller in one JVM, no ZooKeeper): its own data dir,
 * free loopback ports, a capped heap, quiet logs in logDir. Its listeners: the client ones
 * (advertised where the caller says, normally a proxy each), an internal one the harness uses to
 * check readiness without depending on those proxies, and the controller's.
 */
export async function startKafka(opts: KafkaOptions): Promise<KafkaServer> {
  const java = requireTool('java');
  const libs = requireKafkaLibs();
  const [internalPort, controllerPort] = [await freePort(), await freePort()];
  const clients: ClientListener[] = [];
  for (const client of opts.clients ?? [{ name: 'client', advertised: opts.advertised }]) {
    const port = await freePort();
    const listener = clientListenerName(client.name);
    if (clients.some((known) => known.listener === listener))
      throw new Error(`Kafka: two clients named ${client.name}`);
    clients.push({ name: client.name, listener, port, advertised: client.advertised ?? { host: LOOPBACK, port } });
  }
  const [first] = clients;
  if (!first) throw new Error('Kafka: at least one client listener is needed');
  const dataDir = path.join(opts.dir, 'data');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.mkdirSync(opts.logDir, { recursive: true });
  const configFile = path.join(opts.dir, 'server.properties');
  fs.writeFileSync(
    configFile,
    serverProperties({ clients, internalPort, controllerPort, dataDir, partitions: opts.partitions ?? 3 }),
  );
  const log4jFile = path.join(opts.dir, 'log4j2.properties');
  fs.writeFileSync(log4jFile, log4jProperties(path.join(opts.logDir, 'kafka-server.log')));
  const jvm = [
    `-Xmx${opts.maxHeap ?? '256m'}`,
    '-Xms64m',
    // One small heap on a shared machine: the serial collector has the least overhead.
    '-XX:+UseSerialGC',
    '-XX:MaxMetaspaceSize=96m',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${log4jFile}`,
    '-cp',
    path.join(libs, '*'),
  ];
  const clusterId = await formatStorage(java, jvm, configFile);
  const internalBootstrap = `${LOOPBACK}:${internalPort}`;
  const launch = async (): Promise<ManagedProcess> => {
    const proc = new ManagedProcess({
      name: 'kafka',
      command: java,
      args: [...jvm, 'kafka.Kafka', configFile],
      logFile: path.join(opts.logDir, 'kafka.log'),
      cwd: opts.dir,
    });
    try {
      await waitUntil('Kafka', () => answersMetadata(internalPort), {
        timeoutMs: opts.readyTimeoutMs ?? 60_000,
        intervalMs: 250,
        failed: () => proc.exitReason(),
      });
    } catch (error) {
      await proc.stop(10_000);
      throw error;
    }
    return proc;
  };
  let current = await launch();
  return {
    host: LOOPBACK,
    port: first.port,
    bootstrap: `${first.advertised.host}:${first.advertised.port}`,
    internalBootstrap,
    clientListeners: Object.fromEntries(
      clients.map((c) => [c.name, { port: c.port, bootstrap: `${c.advertised.host}:${c.advertised.port}` }]),
    ),
    clusterId,
    get process() {
      return current;
    },
    stopNode: () => current.stop(10_000),
    async startNode() {
      if (current.running) return;
      current = await launch();
    },
    stop: () => current.stop(10_000),
  };
}

/** `kafka-storage format`: a KRaft node refuses to start on an unformatted log dir. */
async function formatStorage(java: string, jvm: readonly string[], configFile: string): Promise<string> {
  const clusterId = newClusterId();
  try {
    await run(java, [...jvm, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', configFile], {
      timeout: 60_000,
    });
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`Kafka storage format failed: ${(stderr || stdout || String(error)).trim()}`, { cause: error });
  }
  return clusterId;
}

/**
 * A Kafka cluster id: 16 random bytes in URL-safe base64 without padding, never starting with `-`
 * (as Kafka's own `Uuid.randomUuid` does): `kafka-storage format -t -…` reads such an id as an
 * option and fails (1 id in 64; it failed a test run).
 */
export function newClusterId(): string {
  for (;;) {
    const id = Buffer.from(randomUUID().replaceAll('-', ''), 'hex').toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** Whether the broker behind a loopback port answers a metadata request (with itself in it). */
export async function answersMetadata(internalPort: number): Promise<boolean> {
  if (!(await isListening(internalPort))) return false;
  // Loaded here, not at the top: every harness command imports the runtime, few run Kafka.
  const { Admin } = await import('@platformatic/kafka');
  const admin = new Admin({
    clientId: 'harness-ready',
    bootstrapBrokers: [`${LOOPBACK}:${internalPort}`],
    retries: 0,
    timeout: 2_000,
  });
  try {
    const metadata = await admin.metadata({ topics: [] });
    return metadata.brokers.size > 0;
  } finally {
    await admin.close();
  }
}

interface ClientListener {
  name: string;
  /** The Kafka listener name (CLIENT_<NAME>). */
  listener: string;
  port: number;
  advertised: { host: string; port: number };
}

function serverProperties(p: {
  clients: readonly ClientListener[];
  internalPort: number;
  controllerPort: number;
  dataDir: string;
  partitions: number;
}): string {
  const listeners = [
    ...p.clients.map((c) => `${c.listener}://${LOOPBACK}:${c.port}`),
    `INTERNAL://${LOOPBACK}:${p.internalPort}`,
    `CONTROLLER://${LOOPBACK}:${p.controllerPort}`,
  ];
  const advertised = [
    ...p.clients.map((c) => `${c.listener}://${c.advertised.host}:${c.advertised.port}`),
    `INTERNAL://${LOOPBACK}:${p.internalPort}`,
  ];
  const protocols = [...p.clients.map((c) => c.listener), 'INTERNAL', 'CONTROLLER'].map((name) => `${name}:PLAINTEXT`);
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@${LOOPBACK}:${p.controllerPort}`,
    `listeners=${listeners.join(',')}`,
    `advertised.listeners=${advertised.join(',')}`,
    `listener.security.protocol.map=${protocols.join(',')}`,
    'inter.broker.listener.name=INTERNAL',
    'controller.listener.names=CONTROLLER',
    `log.dirs=${p.dataDir}`,
    ...Object.entries(singleNodeSettings(p.partitions)).map(([key, value]) => `${key}=${value}`),
    '',
  ].join('\n');
}

/** The Kafka listener name of a client's own listener: CLIENT_<NAME>. */
export function clientListenerName(client: string): string {
  return `CLIENT_${client.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** The settings of a single small node, whoever runs it (this JVM, or a container). */
export function singleNodeSettings(partitions: number): Record<string, string> {
  return {
    'num.partitions': String(partitions),
    'default.replication.factor': '1',
    'min.insync.replicas': '1',
    // Topics are declared by the services (like the AMQP topology), not made by a typo.
    'auto.create.topics.enable': 'false',
    // One node: the internal topics cannot have more replicas; few partitions start faster.
    'offsets.topic.replication.factor': '1',
    'offsets.topic.num.partitions': '5',
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    'transaction.state.log.num.partitions': '3',
    'share.coordinator.state.topic.replication.factor': '1',
    'share.coordinator.state.topic.min.isr': '1',
    // A consumer group forms at once instead of waiting 3 s for more members.
    'group.initial.rebalance.delay.ms': '0',
    'num.network.threads': '2',
    'num.io.threads': '2',
    'num.recovery.threads.per.data.dir': '1',
  };
}

function log4jProperties(file: string): string {
  return [
    'status = error',
    'appender.file.type = File',
    'appender.file.name = file',
    `appender.file.fileName = ${file}`,
    'appender.file.layout.type = PatternLayout',
    'appender.file.layout.pattern = [%d] %p %m (%c)%n',
    'rootLogger.level = warn',
    'rootLogger.appenderRef.file.ref = file',
    // The one info line worth keeping: when the node finished starting.
    'logger.started.name = kafka.server.KafkaRaftServer',
    'logger.started.level = info',
    '',
  ].join('\n');
}
