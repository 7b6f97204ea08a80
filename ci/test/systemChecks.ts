import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { sleep } from '@harness/runtime';

// What the system tests check on either broker (`system.test.ts` on RabbitMQ, `systemKafka.test.ts`
// on Kafka): an order confirmed, notified and in the order history, and its trace in Jaeger.

/** The gateway's API and the demo key of a run started with `harness up`. */
export interface SystemApi {
  /** `<gateway>/api/v1` */
  api: string;
  key: string;
}

export const apiHeaders = (key: string, extra: Record<string, string> = {}): Record<string, string> => ({
  authorization: `Bearer ${key}`,
  'content-type': 'application/json',
  ...extra,
});

/**
 * Places an order of `productId` and waits (up to `waitMs`) until the order view shows its
 * notification and the order history lists it, then checks both. Returns the order's id.
 */
export async function expectOrderConfirmedNotifiedAndListed(
  { api, key }: SystemApi,
  productId: string,
  waitMs = 20_000,
): Promise<string> {
  const placed = await fetch(`${api}/orders`, {
    method: 'POST',
    headers: apiHeaders(key, { 'idempotency-key': randomUUID() }),
    body: JSON.stringify({ items: [{ productId, quantity: 2 }], paymentToken: 'tok_approve' }),
  });
  expect(placed.status).toBe(201);
  const order = (await placed.json()) as { id: string; status: string };
  expect(order.status).toBe('CONFIRMED');

  const until = Date.now() + waitMs;
  let view: { order: { status: string }; notifications: Array<{ kind: string }> } | undefined;
  while (true) {
    view = (await (await fetch(`${api}/orders/${order.id}`, { headers: apiHeaders(key) })).json()) as typeof view;
    if ((view?.notifications.length ?? 0) > 0 || Date.now() > until) break;
    await sleep(200);
  }
  expect(view?.order.status).toBe('CONFIRMED');
  expect(view?.notifications.map((n) => n.kind)).toEqual(['ORDER_CONFIRMED']);

  // The order history read model (built from the order and notification events alone) lists it
  // for this API key with the confirmation e-mail once notification's NotificationSent is in, and
  // is not stale once its consumers have caught up (the lag is checked every second or faster).
  let history: { items: Array<{ id: string; status: string; notified: string[] }>; stale: boolean } | undefined;
  const listed = () => history?.items.find((o) => o.id === order.id);
  while (true) {
    history = (await (await fetch(`${api}/orders`, { headers: apiHeaders(key) })).json()) as typeof history;
    if (((listed()?.notified.length ?? 0) > 0 && history?.stale === false) || Date.now() > until) break;
    await sleep(200);
  }
  expect(listed()?.status).toBe('CONFIRMED');
  expect(listed()?.notified).toEqual(['ORDER_CONFIRMED']);
  expect(history?.stale).toBe(false);
  return order.id;
}

/** A trace as Jaeger's query API returns it (`/api/traces/{id}`). */
interface JaegerTrace {
  spans: Array<{
    spanID: string;
    operationName: string;
    processID: string;
    references: Array<{ refType: string; spanID: string }>;
    tags: Array<{ key: string; value: unknown }>;
  }>;
  processes: Record<string, { serviceName: string }>;
}

export interface TracedSpan {
  id: string;
  name: string;
  service: string | undefined;
  kind: unknown;
  parentId: string | undefined;
  tags: Record<string, unknown>;
}

function spansOf(trace: JaegerTrace): TracedSpan[] {
  return trace.spans.map((span) => {
    const tags = Object.fromEntries(span.tags.map((tag) => [tag.key, tag.value]));
    return {
      id: span.spanID,
      name: span.operationName,
      service: trace.processes[span.processID]?.serviceName,
      kind: tags['span.kind'],
      parentId: span.references.find((ref) => ref.refType === 'CHILD_OF')?.spanID,
      tags,
    };
  });
}

const tracedServices = ['gateway', 'order', 'inventory', 'payment', 'notification'];

/**
 * Places an order under a trace id the test chooses, reads that trace from Jaeger's query API and
 * checks it: spans of every service, server spans, the saga's steps, SQL, the broker hop (the
 * outbox relay's publish is the parent of notification's consume) and, through an order view in the
 * same trace, the gRPC hop (L11). Returns the spans.
 */
export async function expectOrderTraced({ api, key }: SystemApi, jaegerUrl: string): Promise<TracedSpan[]> {
  const products = (await (await fetch(`${api}/products`, { headers: apiHeaders(key) })).json()) as {
    items: Array<{ id: string; available: number }>;
  };
  const product = products.items.find((p) => p.available > 10);
  // The test starts the trace, so it knows the id to ask Jaeger for.
  const traceId = randomBytes(16).toString('hex');
  const traceparent = (): string => `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
  const placed = await fetch(`${api}/orders`, {
    method: 'POST',
    headers: apiHeaders(key, { 'idempotency-key': randomUUID(), traceparent: traceparent() }),
    body: JSON.stringify({ items: [{ productId: product?.id, quantity: 1 }], paymentToken: 'tok_approve' }),
  });
  expect(placed.status).toBe(201);
  // The order view in the same trace: its stock part is the gRPC hop (L11) to inventory.
  const { id: orderId } = (await placed.json()) as { id: string };
  const viewed = await fetch(`${api}/orders/${orderId}`, { headers: apiHeaders(key, { traceparent: traceparent() }) });
  expect(viewed.status).toBe(200);

  // Spans arrive in batches (about a second per service, each on its own schedule): poll until
  // every service's spans, order's publish and the notification's consumer span are in, then judge
  // the whole trace.
  let trace: JaegerTrace | undefined;
  for (const started = Date.now(); Date.now() - started < 30_000; await sleep(500)) {
    const response = await fetch(`${jaegerUrl}/api/traces/${traceId}`);
    if (response.status !== 200) continue;
    trace = ((await response.json()) as { data: JaegerTrace[] }).data[0];
    const seen = trace ? spansOf(trace) : [];
    if (
      tracedServices.every((service) => seen.some((span) => span.service === service)) &&
      seen.some((span) => span.service === 'notification' && span.kind === 'consumer') &&
      // The outbox relay's publish goes out in a later batch than order's request spans.
      seen.some((span) => span.service === 'order' && span.kind === 'producer') &&
      seen.some((span) => span.service === 'inventory' && span.tags['rpc.system'] === 'grpc')
    )
      break;
  }
  expect(trace, `no trace ${traceId} in Jaeger`).toBeDefined();
  const spans = spansOf(trace!);
  expect(new Set(spans.map((span) => span.service))).toEqual(new Set(tracedServices));
  // The broker hop: the outbox relay's publish and the notification's consume, parent and child.
  const publish = spans.find((span) => span.service === 'order' && span.kind === 'producer');
  const consume = spans.find((span) => span.service === 'notification' && span.kind === 'consumer');
  expect(publish?.name).toMatch(/^publish /);
  expect(consume?.parentId).toBe(publish?.id);
  // Server spans on every service, the saga's steps and SQL.
  for (const service of ['gateway', 'order', 'inventory', 'payment'])
    expect(
      spans.some((span) => span.service === service && span.kind === 'server'),
      service,
    ).toBe(true);
  const orderSpans = spans.filter((span) => span.service === 'order').map((span) => span.name);
  expect(orderSpans).toEqual(expect.arrayContaining(['saga reserve', 'saga charge', 'saga confirm']));
  expect(spans.some((span) => span.service === 'payment' && span.tags['db.system.name'] === 'postgresql')).toBe(true);
  // The gRPC hop: the gateway's client span and inventory's server span, parent and child.
  const method = 'harness.inventory.v1.StockLevelService/GetStockLevels';
  const stockCall = spans.find((span) => span.service === 'gateway' && span.kind === 'client' && span.name === method);
  const stockServed = spans.find(
    (span) => span.service === 'inventory' && span.kind === 'server' && span.name === method,
  );
  expect(stockCall?.tags['rpc.grpc.status_code']).toBe(0);
  expect(stockServed?.parentId).toBe(stockCall?.id);
  return spans;
}
