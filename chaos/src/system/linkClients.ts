import type { Topology } from '@harness/runtime';
import { kitConfig } from './kitSystem.ts';

/** The calling service and its dependency on one HTTP or gRPC link, as labelled in metrics, events and policies. */
export interface LinkClient {
  service: string;
  dependency: string;
}

/**
 * The call links between services of the topology (the reference config's by default), by link id.
 * The caller's policy on an HTTP link is named after the callee (`payment`), on a gRPC link after
 * the callee and `-grpc` (`inventory-grpc`), so that a service called both ways has two policies.
 */
export function linkClients(topology: Topology = kitConfig().topology): Record<string, LinkClient> {
  const clients: Record<string, LinkClient> = {};
  for (const link of topology.links) {
    if (link.kind === 'http') clients[link.id] = { service: link.from, dependency: link.to };
    if (link.kind === 'grpc') clients[link.id] = { service: link.from, dependency: `${link.to}-grpc` };
  }
  return clients;
}

/** The link a client policy calls through, if any (in the reference system, order → payment is L5). */
export function linkOf(
  service: string,
  dependency: string,
  topology: Topology = kitConfig().topology,
): string | undefined {
  return Object.entries(linkClients(topology)).find(
    ([, client]) => client.service === service && client.dependency === dependency,
  )?.[0];
}
