import { setTimeout as sleep } from 'node:timers/promises';
import { credentials, Metadata, status as GrpcStatus, type sendUnaryData, type ServiceError } from '@grpc/grpc-js';
import {
  StockLevelServiceClient,
  StockLevelServiceService,
  type GetStockLevelsResponse,
} from '@harness/contracts/grpc/inventory/v1/stock_levels';
import { createGrpcCaller, createGrpcServer, errorInfoOf, grpcErrorStatus, type GrpcServer } from '@harness/kit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { idempotentGrpcMethods } from '../src/system/grpcIdempotentMethods.ts';
import { GrpcTap } from '../src/system/GrpcTap.ts';

const PATH = '/harness.inventory.v1.StockLevelService/GetStockLevels';
/** What the server does with the next calls, in order; then it answers. */
let script: Array<'invalid' | 'answer'> = [];
let reached = 0;
let server: GrpcServer;
let serverPort: number;
let tap: GrpcTap;
let client: StockLevelServiceClient;
const answer: GetStockLevelsResponse = { levels: [{ productId: 'p', available: 3 }], unknownProductIds: [] };

beforeAll(async () => {
  server = createGrpcServer({ maxMessageBytes: 4_096 });
  server.server.addService(StockLevelServiceService, {
    getStockLevels: (_call: unknown, callback: sendUnaryData<GetStockLevelsResponse>) => {
      reached += 1;
      if (script.shift() === 'invalid') callback(grpcErrorStatus('VALIDATION_FAILED', 'no ids'));
      else callback(null, answer);
    },
  });
  serverPort = await server.listen('127.0.0.1', 0);
  // caller → tap → server (the tap in front, as before Toxiproxy in a chaos run)
  tap = new GrpcTap('G1', { host: '127.0.0.1', port: serverPort }, { front: true });
  client = new StockLevelServiceClient(await tap.listen(), credentials.createInsecure(), {
    'grpc.initial_reconnect_backoff_ms': 50,
    'grpc.max_reconnect_backoff_ms': 100,
  });
});
afterAll(async () => {
  client?.close();
  await tap?.close();
  await server?.close(100);
});
beforeEach(() => {
  script = [];
  reached = 0;
  tap.clear();
  tap.liftAllFaults();
});

const fast = { initialDelayMs: 1, maxDelayMs: 2 };
const ask = (settings: Parameters<typeof createGrpcCaller>[1] = { timeoutMs: 1_000, retry: { maxAttempts: 1 } }) =>
  createGrpcCaller('stock', { breaker: { threshold: 100 }, ...settings }).call(
    client.getStockLevels.bind(client),
    { productIds: ['p'] },
    { idempotent: true },
  );

/** One plain call (no kit policy): the error as grpc-js reports it. */
const rawCall = (via: StockLevelServiceClient = client): Promise<ServiceError | null> =>
  new Promise((resolve) =>
    via.getStockLevels({ productIds: ['p'] }, new Metadata(), { deadline: Date.now() + 2_000 }, (error) =>
      resolve(error),
    ),
  );

describe('the gRPC tap forwards and records', () => {
  it('forwards a call unchanged and records the attempt: path, traceparent, grpc-status and timing', async () => {
    expect(await ask()).toEqual({ data: answer });
    const [record] = tap.records();
    expect(record).toMatchObject({
      link: 'G1',
      method: 'POST',
      path: PATH,
      grpcStatus: GrpcStatus.OK,
      status: 200,
      callerGone: false,
    });
    expect(record?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(record!.endMs).toBeGreaterThanOrEqual(record!.startMs);
  });

  it('passes an error status with its details trailer through, and records it with its HTTP equivalent', async () => {
    script = ['invalid'];
    const error = await rawCall();
    expect(error?.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(errorInfoOf(error!)).toEqual({ code: 'VALIDATION_FAILED', detail: 'no ids' });
    expect(tap.records().map((r) => [r.grpcStatus, r.status])).toEqual([[GrpcStatus.INVALID_ARGUMENT, 400]]);
  });
});

describe('the gRPC tap injects request-level faults', () => {
  it('answers a status fault itself, trailers-only UNAVAILABLE: the caller retries and the second attempt gets through', async () => {
    tap.injectFault('first-refused', { action: { kind: 'status', status: 503 }, select: { first: 1 } });
    const result = await ask({ timeoutMs: 1_000, retry: { maxAttempts: 2, ...fast } });
    expect(result).toEqual({ data: answer });
    expect(reached).toBe(1);
    const records = tap.records();
    expect(records.map((r) => [r.fault, r.grpcStatus, r.status])).toEqual([
      ['first-refused', GrpcStatus.UNAVAILABLE, 503],
      [undefined, GrpcStatus.OK, 200],
    ]);
    // Both attempts of the call carry its one client span: the oracles group them by trace-id.
    expect(records[1]?.traceparent).toBe(records[0]?.traceparent);
  });

  it('answers the grpc-status a status fault names', async () => {
    tap.injectFault('exhausted', {
      action: { kind: 'status', status: 429, grpcStatus: GrpcStatus.RESOURCE_EXHAUSTED },
    });
    const error = await rawCall();
    expect(error?.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
    expect(error?.details).toBe('request-level fault exhausted on link G1');
    expect(reached).toBe(0);
  });

  it('delays a call past the deadline: the caller gives up, the tap records it gone, the server never sees it', async () => {
    tap.injectFault('slow', { action: { kind: 'delay', delayMs: 300 } });
    const started = Date.now();
    expect(await ask({ timeoutMs: 100, retry: { maxAttempts: 1 } })).toEqual({
      error: { kind: 'unavailable', reason: 'timeout' },
    });
    expect(Date.now() - started).toBeLessThan(290);
    await sleep(300);
    expect(reached).toBe(0);
    expect(tap.records()).toMatchObject([{ fault: 'slow', callerGone: true, status: undefined }]);
    tap.liftFault('slow');
    tap.injectFault('a-bit-slow', { action: { kind: 'delay', delayMs: 50 } });
    expect(await ask()).toEqual({ data: answer });
  });

  it('drops the connection before forwarding (UNAVAILABLE), and the next call reconnects', async () => {
    tap.injectFault('drop', { action: { kind: 'drop' }, select: { first: 1 } });
    const error = await rawCall();
    expect(error?.code).toBe(GrpcStatus.UNAVAILABLE);
    expect(reached).toBe(0);
    // The channel connects again after its backoff (50 ms here), as after any reset.
    await sleep(200);
    expect(await ask()).toEqual({ data: answer });
    expect(tap.hitsOf('drop')).toHaveLength(1);
  });

  it('cuts the answer mid-body after the server did the work', async () => {
    tap.injectFault('cut', { action: { kind: 'drop-mid-body' }, select: { first: 1 } });
    const error = await rawCall();
    expect(error?.code).toBe(GrpcStatus.UNAVAILABLE);
    expect(reached).toBe(1);
    expect(tap.hitsOf('cut')).toMatchObject([{ grpcStatus: GrpcStatus.OK }]);
  });

  it('hangs a call until the caller’s deadline; lifting the fault cuts what it holds', async () => {
    tap.injectFault('hang', { action: { kind: 'hang' } });
    expect(await ask({ timeoutMs: 100, retry: { maxAttempts: 1 } })).toEqual({
      error: { kind: 'unavailable', reason: 'timeout' },
    });
    const held = rawCall();
    await sleep(50);
    tap.liftFault('hang');
    expect((await held)?.code).toBe(GrpcStatus.UNAVAILABLE);
    expect(reached).toBe(0);
    expect(tap.hitsOf('hang').map((r) => r.callerGone)).toEqual([true, true]);
  });
});

describe('which gRPC calls may be sent again without a key', () => {
  it('reads the idempotent methods from the link’s proto, and marks their calls on the wire', async () => {
    const service = 'harness.inventory.v1.StockLevelService';
    const methods = idempotentGrpcMethods('contracts/proto/harness/inventory/v1/stock_levels.proto', service);
    expect([...methods]).toEqual([PATH]);
    const marking = new GrpcTap('G3', { host: '127.0.0.1', port: serverPort }, { idempotentMethods: methods });
    const via = new StockLevelServiceClient(await marking.listen(), credentials.createInsecure());
    try {
      expect(await rawCall(via)).toBeNull();
      expect(marking.records()).toMatchObject([{ path: PATH, idempotentByContract: true }]);
    } finally {
      via.close();
      await marking.close();
    }
    // Without the contract the tap does not guess.
    expect(tap.records().every((record) => record.idempotentByContract === undefined)).toBe(true);
  });
});

describe('the gRPC tap when the server cannot be reached', () => {
  it('in front: resets the caller’s connection (UNAVAILABLE); behind Toxiproxy: answers UNAVAILABLE itself', async () => {
    // A port nothing listens on: the tap's connection is refused.
    const closed = createGrpcServer({ maxMessageBytes: 4_096 });
    const deadPort = await closed.listen('127.0.0.1', 0);
    await closed.close(10);
    for (const front of [true, false]) {
      const away = new GrpcTap('G2', { host: '127.0.0.1', port: deadPort }, { front });
      const via = new StockLevelServiceClient(await away.listen(), credentials.createInsecure());
      try {
        const error = await rawCall(via);
        expect(error?.code).toBe(GrpcStatus.UNAVAILABLE);
        if (!front) expect(error?.details).toBe('the tap could not reach the server');
        expect(away.records()).toMatchObject([{ path: PATH, status: undefined }]);
      } finally {
        via.close();
        await away.close();
      }
    }
  });
});
