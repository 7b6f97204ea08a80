import { GenericContainer } from 'testcontainers';
import { Toxiproxy } from 'toxiproxy-node-client';
import type { ToxiproxyServer } from '../local/toxiproxy.ts';
import { assertPortFree, freePort, LOOPBACK } from '../ports.ts';
import { waitUntil } from '../wait.ts';
import { logToFile } from './containerLogs.ts';

/** Toxiproxy as the rest of the harness sees it, whoever runs it. */
type ToxiproxyEndpoint = Omit<ToxiproxyServer, 'process'>;

export interface ToxiproxyContainerServer extends ToxiproxyEndpoint {
  containerId: string;
}

export interface ToxiproxyContainerOptions {
  image: string;
  labels: Record<string, string>;
  logDir: string;
  port?: number;
  seed?: number;
  readyTimeoutMs?: number;
}

/**
 * Toxiproxy in the host's network namespace: the services run on the host, so its proxies must
 * listen on host loopback ports and reach upstreams on host loopback ports (the services' own,
 * and the ports PostgreSQL and RabbitMQ publish), exactly as with the local provider.
 */
export async function startToxiproxyContainer(opts: ToxiproxyContainerOptions): Promise<ToxiproxyContainerServer> {
  const port = opts.port ?? (await freePort());
  if (opts.port !== undefined) await assertPortFree(port, 'Toxiproxy');
  // -proxy-metrics: per-proxy byte counters, which chaos runs read to detect vacuous faults.
  const command = [`-host=${LOOPBACK}`, `-port=${port}`, '-proxy-metrics'];
  if (opts.seed !== undefined) command.push(`-seed=${opts.seed}`);
  const started = await new GenericContainer(opts.image)
    .withNetworkMode('host')
    .withCommand(command)
    .withLabels(opts.labels)
    .withLogConsumer(logToFile(opts.logDir, 'toxiproxy'))
    .start();
  const url = `http://${LOOPBACK}:${port}`;
  const stop = async (): Promise<void> => {
    await started.stop({ remove: true, removeVolumes: true, timeout: 1_000 });
  };
  try {
    await waitUntil('Toxiproxy container', async () => (await fetch(`${url}/version`)).ok, {
      timeoutMs: opts.readyTimeoutMs ?? 15_000,
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { host: LOOPBACK, port, url, client: new Toxiproxy(url), containerId: started.getId(), stop };
}
