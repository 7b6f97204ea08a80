import path from 'node:path';
import { Toxiproxy } from 'toxiproxy-node-client';
import { ManagedProcess } from '../process.ts';
import { assertPortFree, freePort, LOOPBACK } from '../ports.ts';
import { requireTool } from '../tools.ts';
import { waitUntil } from '../wait.ts';

export interface ToxiproxyServer {
  host: string;
  port: number;
  /** Base URL of the Toxiproxy HTTP API. */
  url: string;
  client: Toxiproxy;
  process: ManagedProcess;
  stop(): Promise<void>;
}

export interface ToxiproxyOptions {
  logDir: string;
  port?: number;
  /** Seed for Toxiproxy's random toxicity decisions, for reproducible runs. */
  seed?: number;
  readyTimeoutMs?: number;
}

export async function startToxiproxy(opts: ToxiproxyOptions): Promise<ToxiproxyServer> {
  const bin = requireTool('toxiproxy-server');
  const port = opts.port ?? (await freePort());
  if (opts.port !== undefined) await assertPortFree(port, 'Toxiproxy');
  // -proxy-metrics: per-proxy byte counters, which chaos runs read to detect vacuous faults.
  const args = ['-host', LOOPBACK, '-port', String(port), '-proxy-metrics'];
  if (opts.seed !== undefined) args.push('-seed', String(opts.seed));
  const proc = new ManagedProcess({
    name: 'toxiproxy',
    command: bin,
    args,
    logFile: path.join(opts.logDir, 'toxiproxy.log'),
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  const url = `http://${LOOPBACK}:${port}`;
  try {
    await waitUntil('Toxiproxy', async () => (await fetch(`${url}/version`)).ok, {
      timeoutMs: opts.readyTimeoutMs ?? 10_000,
      failed: () => proc.exitReason(),
    });
  } catch (error) {
    await proc.stop(1_000);
    throw error;
  }
  return { host: LOOPBACK, port, url, client: new Toxiproxy(url), process: proc, stop: () => proc.stop(2_000) };
}
