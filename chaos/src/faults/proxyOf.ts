import { isBrokerProxy, type InfraDescription, type ProxyAddress } from '@harness/runtime';
import type { ProxyTarget } from '../scenario/Scenario.ts';

/** The Toxiproxy proxy a target names: an HTTP link's, or a service's PostgreSQL / broker one. */
export function proxyOf(infra: InfraDescription, target: ProxyTarget): ProxyAddress {
  const proxy = infra.proxies.find((candidate) => {
    if ('link' in target) return candidate.kind === 'link' && candidate.link === target.link;
    if ('database' in target) return candidate.kind === 'postgres' && candidate.from === target.database;
    return isBrokerProxy(candidate) && candidate.from === target.broker;
  });
  if (!proxy) throw new Error(`no proxy for ${describeTarget(target)}`);
  return proxy;
}

export function describeTarget(target: ProxyTarget): string {
  if ('link' in target) return `link ${target.link}`;
  if ('database' in target) return `${target.database} → PostgreSQL`;
  return `${target.broker} → broker`;
}
