/** The few Toxiproxy API calls the e2e flows need: take a proxy down, and put it back as it was. */
export function toxiproxyClient(baseUrl: string) {
  async function call(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok)
      throw new Error(`Toxiproxy ${method} ${path} answered ${response.status}: ${await response.text()}`);
    return response.status === 204 ? undefined : response.json();
  }

  return {
    /** A disabled proxy refuses connections and closes the open ones. */
    async setEnabled(proxy: string, enabled: boolean): Promise<void> {
      await call('POST', `/proxies/${proxy}`, { enabled });
    },

    /** Where the proxy listens (host:port). */
    async listenOf(proxy: string): Promise<string> {
      return ((await call('GET', `/proxies/${proxy}`)) as { listen: string }).listen;
    },

    /** Enables the proxy and removes every toxic on it. */
    async restore(proxy: string): Promise<void> {
      await call('POST', `/proxies/${proxy}`, { enabled: true });
      const toxics = (await call('GET', `/proxies/${proxy}/toxics`)) as Array<{ name: string }>;
      for (const toxic of toxics) await call('DELETE', `/proxies/${proxy}/toxics/${toxic.name}`);
    },
  };
}

export type ToxiproxyClient = ReturnType<typeof toxiproxyClient>;
