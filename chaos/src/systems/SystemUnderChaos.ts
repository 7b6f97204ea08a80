import { Toxiproxy } from 'toxiproxy-node-client';
import {
  isBrokerProxy,
  startSystem,
  type ProxyAddress,
  type ResolvedConfig,
  type RunningSystem,
} from '@harness/runtime';
import { HttpTap } from '../system/HttpTap.ts';
import type { SystemTarget } from './SystemScenario.ts';

/** A config system started for chaos: a front tap on every HTTP link, the Toxiproxy API, restarts. */
export interface SystemUnderChaos {
  config: ResolvedConfig;
  running: RunningSystem;
  /** The run's --seed: Toxiproxy's toxicity and the request-level faults' share follow it. */
  seed: number | undefined;
  toxiproxy: Toxiproxy;
  /** Per HTTP link id: the tap between the caller and the link's Toxiproxy proxy. */
  taps: ReadonlyMap<string, HttpTap>;
  url(service: string): string;
  proxyOf(target: SystemTarget): ProxyAddress;
  close(): Promise<void>;
}

/**
 * Starts the system of a config with every HTTP link wired caller → tap → Toxiproxy → service: the
 * tap sees every attempt the caller makes, including those a fault kills, which is what the
 * black-box oracles judge.
 */
export async function startSystemUnderChaos(
  config: ResolvedConfig,
  options: { seed?: number; log?: (line: string) => void } = {},
): Promise<SystemUnderChaos> {
  const taps = new Map<string, HttpTap>();
  let running: RunningSystem;
  try {
    running = await startSystem({
      config,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.log ? { log: options.log } : {}),
      beforeServices: async (infra) => {
        const urls: Record<string, string> = {};
        for (const proxy of infra.description.proxies) {
          if (proxy.kind !== 'link' || !proxy.link) continue;
          const [host, port] = proxy.listen.split(':');
          const tap = new HttpTap(proxy.link, { host: host ?? '127.0.0.1', port: Number(port) }, { front: true });
          urls[proxy.link] = `http://${await tap.listen()}`;
          taps.set(proxy.link, tap);
        }
        return urls;
      },
    });
  } catch (error) {
    await Promise.allSettled([...taps.values()].map((tap) => tap.close()));
    throw error;
  }
  const description = running.infra.description;
  const toxiproxy = new Toxiproxy(description.toxiproxy.url);
  return {
    config,
    running,
    seed: options.seed,
    toxiproxy,
    taps,
    url(service) {
      const address = description.services[service];
      if (!address) throw new Error(`no service ${service} in this run`);
      return address.url;
    },
    proxyOf(target) {
      const proxy = description.proxies.find((candidate) =>
        'link' in target
          ? candidate.link === target.link
          : 'database' in target
            ? candidate.kind === 'postgres' && candidate.from === target.database
            : isBrokerProxy(candidate) && candidate.from === target.broker,
      );
      if (!proxy) throw new Error(`no proxy for ${JSON.stringify(target)}`);
      return proxy;
    },
    async close() {
      await running.stop();
      await Promise.allSettled([...taps.values()].map((tap) => tap.close()));
    },
  };
}
