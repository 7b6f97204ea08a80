import type { Queryable } from '../invariants/Invariant.ts';
import { parsePrometheusText } from '../observe/prometheusText.ts';
import type { SteadyStateProbe } from '../scenario/Scenario.ts';
import { chaosServices, httpCallers, kitDomain } from '../system/kitSystem.ts';
import type { ChaosSystem } from '../system/ChaosSystem.ts';
import { sleep } from '../workload/runWorkload.ts';
import type { WorkloadClient } from '../workload/WorkloadClient.ts';

export interface ProbeResult {
  probe: SteadyStateProbe['kind'];
  passed: boolean;
  detail: string;
}

export interface ProbeContext {
  system: ChaosSystem;
  client: WorkloadClient;
  /** The database of the service whose kit outbox publishes the events. */
  outboxDb: Queryable;
  keyPrefix: string;
  /** Orders the probes placed (read by read-orders streams). */
  placedOrderIds: string[];
}

let canary = 0;

/** Runs one steady-state probe once. */
async function runProbe(probe: SteadyStateProbe, context: ProbeContext): Promise<ProbeResult> {
  const { system } = context;
  try {
    switch (probe.kind) {
      case 'services-ready': {
        const answers = await Promise.all(
          chaosServices().map(async (service) => {
            const response = await fetch(`${system.url(service)}/health/ready`, { signal: AbortSignal.timeout(2_000) });
            await response.arrayBuffer();
            return [service, response.status] as const;
          }),
        );
        const down = answers.filter(([, status]) => status !== 200);
        return result(
          probe,
          down.length === 0,
          down.length === 0 ? 'all ready' : `not ready: ${down.map(([s, c]) => `${s} ${c}`).join(', ')}`,
        );
      }
      case 'breakers-closed': {
        const open: string[] = [];
        for (const service of httpCallers()) {
          const response = await fetch(`${system.url(service)}/metrics`, { signal: AbortSignal.timeout(2_000) });
          for (const sample of parsePrometheusText(await response.text())) {
            if (sample.name === 'harness_breaker_state' && sample.value !== 0)
              open.push(`${service} → ${sample.labels.dependency ?? '?'}`);
          }
        }
        return result(probe, open.length === 0, open.length === 0 ? 'all closed' : `not closed: ${open.join(', ')}`);
      }
      case 'order-confirmed': {
        const key = `${context.keyPrefix}-canary-${++canary}`;
        const { items, paymentToken } = kitDomain().canaryOrder;
        const answer = await context.client.placeOrder('canary', key, items, paymentToken);
        if (answer.status === 201 && answer.orderId) context.placedOrderIds.push(answer.orderId);
        return result(
          probe,
          answer.status === 201,
          `canary order: ${answer.status} ${answer.problemCode ?? answer.error ?? ''}`.trim(),
        );
      }
      case 'catalogue-read': {
        const browse = context.client.browseProducts?.bind(context.client);
        if (!browse) return result(probe, false, "the kit domain's workload client has no browseProducts");
        const answer = await browse('steady-state');
        return result(
          probe,
          answer.status === 200,
          `catalogue read: ${answer.status} ${answer.problemCode ?? answer.detail ?? ''}`.trim(),
        );
      }
      case 'outbox-drained': {
        const { rows } = await context.outboxDb.query<{ pending: string }>(
          'SELECT count(*)::text AS pending FROM outbox WHERE published_at IS NULL',
        );
        const pending = Number(rows[0]?.pending ?? 0);
        return result(probe, pending === 0, `${pending} unpublished outbox rows`);
      }
    }
  } catch (error) {
    return result(probe, false, error instanceof Error ? error.message : String(error));
  }
}

/**
 * Runs the probes until all pass at once or `withinMs` runs out; resolves with the last results.
 */
export async function awaitSteadyState(
  probes: readonly SteadyStateProbe[],
  context: ProbeContext,
  withinMs: number,
  signal?: AbortSignal,
): Promise<ProbeResult[]> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    // Every probe runs every round: a canary order is also what lets an open breaker probe again.
    const results: ProbeResult[] = [];
    for (const probe of probes) results.push(await runProbe(probe, context));
    if (results.every((r) => r.passed) || Date.now() >= deadline || signal?.aborted) return results;
    await sleep(300, signal);
  }
}

function result(probe: SteadyStateProbe, passed: boolean, detail: string): ProbeResult {
  return { probe: probe.kind, passed, detail };
}
