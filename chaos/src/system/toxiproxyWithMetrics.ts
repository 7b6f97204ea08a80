import path from 'node:path';
import { ManagedProcess, requireTool, waitUntil, type ProxyAddress } from '@harness/runtime';
import { Toxiproxy } from 'toxiproxy-node-client';

/**
 * True when the Toxiproxy at `url` serves /metrics (only with -proxy-metrics or -runtime-metrics;
 * the proxy counters themselves appear once a proxy carried traffic).
 */
export async function hasProxyMetrics(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

export interface ReplacedToxiproxy {
  process: ManagedProcess;
  client: Toxiproxy;
}

/**
 * Replaces a Toxiproxy started without `-proxy-metrics` by one that has them, on the same API
 * port and seed, with the same proxies (listen addresses unchanged; `upstreamOf` may point HTTP
 * links at the taps). Done before any service connects, so nothing notices. Needed until the
 * runtime's startToxiproxy passes -proxy-metrics itself (reported to the lead).
 */
export async function replaceToxiproxyWithMetrics(options: {
  port: number;
  seed: number | undefined;
  logDir: string;
  proxies: readonly ProxyAddress[];
  upstreamOf: (proxy: ProxyAddress) => string;
}): Promise<ReplacedToxiproxy> {
  const args = ['-host', '127.0.0.1', '-port', String(options.port), '-proxy-metrics'];
  if (options.seed !== undefined) args.push('-seed', String(options.seed));
  const proc = new ManagedProcess({
    name: 'toxiproxy',
    command: requireTool('toxiproxy-server'),
    args,
    logFile: path.join(options.logDir, 'toxiproxy-chaos.log'),
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  const url = `http://127.0.0.1:${options.port}`;
  try {
    await waitUntil('Toxiproxy (with proxy metrics)', async () => (await fetch(`${url}/version`)).ok, {
      timeoutMs: 10_000,
      failed: () => proc.exitReason(),
    });
    const client = new Toxiproxy(url);
    for (const proxy of options.proxies) {
      await client.createProxy({ name: proxy.name, listen: proxy.listen, upstream: options.upstreamOf(proxy) });
    }
    return { process: proc, client };
  } catch (error) {
    await proc.stop(1_000);
    throw error;
  }
}
