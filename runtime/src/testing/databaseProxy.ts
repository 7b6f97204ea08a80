import { Toxiproxy, type Proxy } from 'toxiproxy-node-client';
import { infra } from './infra.ts';
import { uniqueName } from './uniqueName.ts';

export type ProxyStream = 'upstream' | 'downstream';

export interface DatabaseProxy {
  proxy: Proxy;
  /** `url` with its host and port replaced by the proxy's. */
  urlThrough(url: string): string;
  setEnabled(enabled: boolean): Promise<void>;
  /** Data stops flowing on `streams` (both by default; connections hang) until the returned function is called. */
  blackhole(streams?: ReadonlyArray<ProxyStream>): Promise<() => Promise<void>>;
  remove(): Promise<void>;
}

/** A Toxiproxy proxy of its own (`<prefix>-<random>`) in front of the test run's PostgreSQL. */
export async function createDatabaseProxy(prefix: string): Promise<DatabaseProxy> {
  const { toxiproxy, postgres } = infra();
  const proxy = await new Toxiproxy(toxiproxy.url).createProxy({
    name: uniqueName(prefix),
    listen: '127.0.0.1:0',
    upstream: `127.0.0.1:${postgres.port}`,
  });
  return {
    proxy,
    urlThrough(url) {
      const proxied = new URL(url);
      proxied.host = proxy.listen;
      return proxied.toString();
    },
    async setEnabled(enabled) {
      await proxy.update({ enabled, listen: proxy.listen, upstream: proxy.upstream });
    },
    async blackhole(streams = ['upstream', 'downstream']) {
      const toxics = await Promise.all(
        streams.map((stream) =>
          proxy.addToxic({
            name: `blackhole-${stream}`,
            type: 'timeout',
            stream,
            toxicity: 1,
            attributes: { timeout: 0 },
          }),
        ),
      );
      return async () => {
        await Promise.all(toxics.map((toxic) => toxic.remove()));
      };
    },
    remove: () => proxy.remove(),
  };
}
