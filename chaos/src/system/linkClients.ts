import type { ChaosService } from '../scenario/Scenario.ts';

/** The client service and dependency name of an HTTP link, as labelled in metrics, events and policies. */
export const linkClients: Record<string, { service: ChaosService; dependency: string }> = {
  L2: { service: 'gateway', dependency: 'order' },
  L3: { service: 'gateway', dependency: 'inventory' },
  L4: { service: 'order', dependency: 'inventory' },
  L5: { service: 'order', dependency: 'payment' },
  L8: { service: 'gateway', dependency: 'notification' },
};

/** The link a client policy calls through, if any (order → payment is L5). */
export function linkOf(service: string, dependency: string): string | undefined {
  return Object.entries(linkClients).find(
    ([, client]) => client.service === service && client.dependency === dependency,
  )?.[0];
}
