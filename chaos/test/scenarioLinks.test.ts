import { describe, expect, it } from 'vitest';
import { scenarioLinks } from '../src/runner/scenarioLinks.ts';
import { loadScenarios } from '../src/scenario/loadScenarios.ts';

describe('the links a scenario exercises', () => {
  it('follows proxy, broker, message and process faults and the oracles', async () => {
    const byId = new Map((await loadScenarios()).map((scenario) => [scenario.id, scenarioLinks(scenario)]));
    expect(byId.get('payment-latency-opens-breaker')).toEqual(['L5']);
    expect(byId.get('inventory-reset-peer-retries')).toEqual(['L4']);
    // A toxic on the gRPC link, and the breaker and retry oracles on its policy (inventory-grpc).
    expect(byId.get('stock-latency-beyond-deadline-opens-breaker')).toEqual(['L11']);
    expect(byId.get('stock-resets-bounded-retries')).toEqual(['L11']);
    // Faults on the GraphQL link's own proxy (latency, proxy down).
    expect(byId.get('graphql-latency-spares-rest')).toEqual(['L10']);
    expect(byId.get('graphql-link-down-rest-answers')).toEqual(['L10']);
    // A request-level fault from the gRPC tap.
    expect(byId.get('stock-unavailable-from-the-tap')).toEqual(['L11']);
    // A database fault has no link of its own; the bulkhead oracle names order → inventory.
    expect(byId.get('inventory-db-latency-bulkhead')).toContain('L4');
    // The broker outage cuts every message link: order's events to notification, inventory and the
    // gateway's read model, and notification's NotificationSent to the read model.
    expect(byId.get('broker-outage-outbox-holds')).toEqual(['L12', 'L6', 'L7', 'L9']);
    expect(byId.get('notification-killed-before-ack')).toEqual(expect.arrayContaining(['L6', 'L8']));
    // Order's broker connection carries every event order publishes.
    expect(byId.get('order-broker-link-slow-then-reset')).toEqual(expect.arrayContaining(['L6', 'L7', 'L9']));
    for (const [id, links] of byId) expect(links.length, id).toBeGreaterThan(0);
  });
});
