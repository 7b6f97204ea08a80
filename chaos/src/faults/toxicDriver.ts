import type { Toxiproxy } from 'toxiproxy-node-client';
import type { Direction, Toxic } from '../scenario/Scenario.ts';

/** Prefix of every toxic the runner adds, so the safety net can find leftovers. */
const CHAOS_TOXIC_PREFIX = 'chaos-';

/** Toxiproxy's attribute names for a toxic. */
function toxicAttributes(toxic: Toxic): Record<string, number> {
  switch (toxic.type) {
    case 'latency':
      return { latency: toxic.latencyMs, jitter: toxic.jitterMs ?? 0 };
    case 'bandwidth':
      return { rate: toxic.rateKBps };
    case 'slow_close':
      return { delay: toxic.delayMs };
    case 'timeout':
      return { timeout: toxic.timeoutMs };
    case 'reset_peer':
      return { timeout: toxic.timeoutMs };
    case 'slicer':
      return { average_size: toxic.averageSize, size_variation: toxic.sizeVariation, delay: toxic.delayUs };
    case 'limit_data':
      return { bytes: toxic.bytes };
  }
}

const directionsOf = (direction: Direction | 'both'): Direction[] =>
  direction === 'both' ? ['upstream', 'downstream'] : [direction];

/** Adds one toxic per direction; resolves with their names. */
export async function addToxics(
  toxiproxy: Toxiproxy,
  proxyName: string,
  faultId: string,
  toxic: Toxic,
  direction: Direction | 'both',
  toxicity: number,
): Promise<string[]> {
  const proxy = await toxiproxy.get(proxyName);
  const names: string[] = [];
  for (const stream of directionsOf(direction)) {
    const name = `${CHAOS_TOXIC_PREFIX}${faultId}-${stream}`;
    await proxy.addToxic({ name, type: toxic.type, stream, toxicity, attributes: toxicAttributes(toxic) });
    names.push(name);
  }
  return names;
}

export async function removeToxic(toxiproxy: Toxiproxy, proxyName: string, toxicName: string): Promise<void> {
  const proxy = await toxiproxy.get(proxyName);
  const toxic = await proxy.getToxic(toxicName);
  await toxic.remove();
}

/** Enables or disables a proxy (disabled: connections refused, open ones closed). */
export async function setProxyEnabled(toxiproxy: Toxiproxy, proxyName: string, enabled: boolean): Promise<void> {
  const proxy = await toxiproxy.get(proxyName);
  await proxy.update({ enabled, listen: proxy.listen, upstream: proxy.upstream });
}

/**
 * Closes every connection through the proxy (disable, then enable). Toxiproxy decides toxicity
 * per connection, so this makes pooled keep-alive connections re-roll whether a toxic hits them.
 */
export async function cycleConnections(toxiproxy: Toxiproxy, proxyName: string): Promise<void> {
  await setProxyEnabled(toxiproxy, proxyName, false);
  await setProxyEnabled(toxiproxy, proxyName, true);
}

/**
 * The safety net of every rollback: removes every toxic the runner added and enables every
 * proxy, whatever the bookkeeping says. Returns what it had to fix.
 */
export async function clearChaosFromProxies(toxiproxy: Toxiproxy): Promise<string[]> {
  const fixed: string[] = [];
  // The client's Proxy does not carry its toxics; the API's listing does.
  const response = await fetch(`${toxiproxy.host}/proxies`, { signal: AbortSignal.timeout(5_000) });
  const listing = (await response.json()) as Record<string, { enabled: boolean; toxics: Array<{ name: string }> }>;
  for (const [name, state] of Object.entries(listing)) {
    for (const toxic of state.toxics) {
      if (!toxic.name.startsWith(CHAOS_TOXIC_PREFIX)) continue;
      await removeToxic(toxiproxy, name, toxic.name);
      fixed.push(`removed leftover toxic ${toxic.name} from ${name}`);
    }
    if (!state.enabled) {
      await setProxyEnabled(toxiproxy, name, true);
      fixed.push(`enabled ${name}`);
    }
  }
  return fixed;
}
