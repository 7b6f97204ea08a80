import type {
  BrowseProductsStream,
  PlaceOrdersStream,
  ReadHistoryStream,
  ReadOrdersStream,
  WorkloadStream,
} from '../scenario/Scenario.ts';
import type { WorkloadClient } from './WorkloadClient.ts';
import type { ResponseRecord } from './ResponseRecord.ts';

export interface WorkloadContext {
  client: WorkloadClient;
  /** Clients that go through a link's proxy, by link id (for streams with `link`). */
  linkClients?: ReadonlyMap<string, WorkloadClient>;
  /** Experiment start (epoch ms); stream start times are relative to it. */
  t0: number;
  /** Stops the workload (time limit, Ctrl-C): no new request is sent after it aborts. */
  signal: AbortSignal;
  /** Unique per scenario run, so that Idempotency-Keys never collide across runs. */
  keyPrefix: string;
  /** Orders that exist before the experiment (read by read-orders streams). */
  referenceOrderIds: readonly string[];
  /** Called with every response as it arrives (for live progress and for later streams). */
  onResponse?: (record: ResponseRecord) => void;
}

/**
 * Drives all streams at once and resolves with every response when each stream has sent its
 * `count` requests (or the signal aborted). Bounded in count by the streams and in time by the
 * signal and the client's per-request deadline.
 */
export async function runWorkload(
  streams: readonly WorkloadStream[],
  context: WorkloadContext,
): Promise<ResponseRecord[]> {
  const records: ResponseRecord[] = [];
  const record = (response: ResponseRecord): void => {
    records.push(response);
    context.onResponse?.(response);
  };
  await Promise.all(
    streams.map(async (stream) => {
      await sleepUntil(context.t0 + (stream.startMs ?? 0), context.signal);
      if (stream.kind === 'place-orders') await placeOrders(stream, context, record);
      else if (stream.kind === 'read-orders') await readOrders(stream, context, record, records);
      else if (stream.kind === 'browse-products') await browseProducts(stream, context, record);
      else await readHistory(stream, context, record);
    }),
  );
  return records;
}

async function placeOrders(
  stream: PlaceOrdersStream,
  context: WorkloadContext,
  record: (response: ResponseRecord) => void,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (!context.signal.aborted) {
      const index = next++;
      if (index >= stream.count) return;
      const key = `${context.keyPrefix}-${stream.id}-${index}`;
      const sends = Array.from({ length: stream.duplicates ?? 1 }, () =>
        context.client.placeOrder(stream.id, key, stream.items, stream.paymentToken ?? 'tok_approve'),
      );
      for (const response of await Promise.all(sends)) record(response);
      if (stream.intervalMs) await sleep(stream.intervalMs, context.signal);
    }
  };
  await Promise.all(Array.from({ length: Math.min(stream.concurrency, stream.count) }, worker));
}

async function readOrders(
  stream: ReadOrdersStream,
  context: WorkloadContext,
  record: (response: ResponseRecord) => void,
  soFar: readonly ResponseRecord[],
): Promise<void> {
  const client = stream.link === undefined ? context.client : context.linkClients?.get(stream.link);
  if (!client) throw new Error(`stream ${stream.id}: no workload client for link ${stream.link ?? '?'}`);
  for (let index = 0; index < stream.count && !context.signal.aborted; index++) {
    const placed = soFar.filter((r) => r.kind === 'place' && r.status === 201 && r.orderId).map((r) => r.orderId ?? '');
    const candidates = context.referenceOrderIds.length > 0 ? context.referenceOrderIds : placed;
    const orderId = candidates[index % Math.max(1, candidates.length)];
    const started = Date.now();
    if (orderId !== undefined) record(await client.readOrder(stream.id, orderId));
    await sleep(Math.max(0, stream.everyMs - (Date.now() - started)), context.signal);
  }
}

async function browseProducts(
  stream: BrowseProductsStream,
  context: WorkloadContext,
  record: (response: ResponseRecord) => void,
): Promise<void> {
  const browse = context.client.browseProducts?.bind(context.client);
  if (!browse) throw new Error(`stream ${stream.id}: the kit domain's workload client has no browseProducts`);
  for (let index = 0; index < stream.count && !context.signal.aborted; index++) {
    const started = Date.now();
    record(await browse(stream.id));
    await sleep(Math.max(0, stream.everyMs - (Date.now() - started)), context.signal);
  }
}

async function readHistory(
  stream: ReadHistoryStream,
  context: WorkloadContext,
  record: (response: ResponseRecord) => void,
): Promise<void> {
  const read = context.client.readHistory?.bind(context.client);
  if (!read) throw new Error(`stream ${stream.id}: the kit domain's workload client has no readHistory`);
  for (let index = 0; index < stream.count && !context.signal.aborted; index++) {
    const started = Date.now();
    record(await read(stream.id));
    await sleep(Math.max(0, stream.everyMs - (Date.now() - started)), context.signal);
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

function sleepUntil(epochMs: number, signal: AbortSignal): Promise<void> {
  return sleep(epochMs - Date.now(), signal);
}
