import type { ChaosSystem } from '../system/ChaosSystem.ts';
import { proxyOf } from '../faults/proxyOf.ts';
import type { Scenario } from '../scenario/Scenario.ts';
import { kitConfig, kitDomain } from '../system/kitSystem.ts';
import type { WorkloadClient } from './WorkloadClient.ts';

/**
 * The workload clients a scenario's streams read through links with (`read-orders` with `link`):
 * one per link, made by the kit domain with the link and the origin of the link's Toxiproxy proxy,
 * so a fault on that proxy hits those requests and no others.
 */
export function workloadLinkClients(scenario: Scenario, system: ChaosSystem): Map<string, WorkloadClient> {
  const clients = new Map<string, WorkloadClient>();
  for (const stream of scenario.workload) {
    if (stream.kind !== 'read-orders' || stream.link === undefined || clients.has(stream.link)) continue;
    const id = stream.link;
    const link = kitConfig().topology.links.find((candidate) => candidate.id === id);
    if (!link) throw new Error(`stream ${stream.id}: unknown link ${id}`);
    const proxy = proxyOf(system.infra, { link: id });
    clients.set(id, kitDomain().client({ baseUrl: `http://${proxy.listen}`, secrets: system.secrets, link }));
  }
  return clients;
}
