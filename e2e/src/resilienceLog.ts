import type { SystemUnderTest } from './systemUnderTest.ts';

export interface BreakerTransition {
  dependency: string;
  from: string;
  to: string;
  atMs: number;
}

/**
 * The breaker transitions in the order service's resilience log (`GET /admin/resilience`) for
 * one dependency, recorded after `sinceMs`.
 */
export async function breakerTransitions(
  system: SystemUnderTest,
  dependency: string,
  sinceMs: number,
): Promise<BreakerTransition[]> {
  const response = await fetch(`${system.orderUrl}/admin/resilience?since=${Math.floor(sinceMs)}`, {
    headers: { 'X-Service-Token': system.serviceToken },
    signal: AbortSignal.timeout(5_000),
  });
  if (!response.ok) throw new Error(`order /admin/resilience answered ${response.status}`);
  const { events } = (await response.json()) as { events: Array<BreakerTransition & { type: string }> };
  return events
    .filter((event) => event.type === 'breaker' && event.dependency === dependency)
    .map(({ dependency: name, from, to, atMs }) => ({ dependency: name, from, to, atMs }));
}
