import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Toxiproxy, type Proxy } from 'toxiproxy-node-client';
import { startKafka, type KafkaServer } from '../local/kafka.ts';
import { freePort, LOOPBACK } from '../ports.ts';
import { infra } from './infra.ts';
import { uniqueName } from './uniqueName.ts';

export interface TestKafka {
  kafka: KafkaServer;
  /** The Toxiproxy proxy (on the test run's Toxiproxy) every client goes through. */
  proxy: Proxy;
  /** The proxy's address: what clients bootstrap from and what the broker advertises. */
  bootstrap: string;
  stop(): Promise<void>;
}

/**
 * A Kafka node of its own for one test file, behind a proxy on the run's Toxiproxy: the proxy's
 * listen port is reserved first, the broker advertises it, then the proxy forwards to the broker's
 * real port. Clients that bootstrap from `bootstrap` are sent back to the proxy by the metadata,
 * so a toxic on the proxy reaches all their traffic.
 */
export async function startTestKafka(prefix: string): Promise<TestKafka> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `harness-${prefix}-kafka-`));
  const listenPort = await freePort();
  let kafka: KafkaServer | undefined;
  try {
    kafka = await startKafka({
      dir,
      logDir: path.join(dir, 'logs'),
      advertised: { host: LOOPBACK, port: listenPort },
    });
    const proxy = await new Toxiproxy(infra().toxiproxy.url).createProxy({
      name: uniqueName(`${prefix}-kafka`),
      listen: `${LOOPBACK}:${listenPort}`,
      upstream: `${LOOPBACK}:${kafka.port}`,
    });
    const started = kafka;
    return {
      kafka: started,
      proxy,
      bootstrap: `${LOOPBACK}:${listenPort}`,
      async stop() {
        await proxy.remove().catch(() => undefined);
        await started.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await kafka?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
