import { setTimeout as sleep } from 'node:timers/promises';
import { credentials, Metadata, status as GrpcStatus, type sendUnaryData } from '@grpc/grpc-js';
import {
  StockLevelServiceClient,
  StockLevelServiceService,
  type GetStockLevelsResponse,
} from '@harness/contracts/grpc/inventory/v1/stock_levels';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGrpcCaller } from '../src/grpc/callGrpc.ts';
import { grpcErrorStatus } from '../src/grpc/errorDetails.ts';
import { createGrpcServer, type GrpcServer } from '../src/grpc/grpcServer.ts';
import { GrpcStatusError, isRetryableGrpcFailure } from '../src/grpc/grpcFailures.ts';

/** What the test server does with the next calls, in order; then it answers. */
type Behaviour = 'unavailable' | 'slow' | 'invalid' | 'answer';
let script: Behaviour[] = [];
let received = 0;
let server: GrpcServer;
let client: StockLevelServiceClient;
const answer: GetStockLevelsResponse = { levels: [{ productId: 'p', available: 3 }], unknownProductIds: [] };

beforeAll(async () => {
  server = createGrpcServer({ maxMessageBytes: 4_096 });
  server.server.addService(StockLevelServiceService, {
    getStockLevels: (_call: unknown, callback: sendUnaryData<GetStockLevelsResponse>) => {
      received += 1;
      const behaviour = script.shift() ?? 'answer';
      if (behaviour === 'unavailable') callback(grpcErrorStatus('DEPENDENCY_UNAVAILABLE', 'database away'));
      else if (behaviour === 'invalid') callback(grpcErrorStatus('VALIDATION_FAILED', 'no ids'));
      else if (behaviour === 'slow') setTimeout(() => callback(null, answer), 400).unref();
      else callback(null, answer);
    },
  });
  const port = await server.listen('127.0.0.1', 0);
  client = new StockLevelServiceClient(`127.0.0.1:${port}`, credentials.createInsecure());
});
afterAll(async () => {
  client?.close();
  await server?.close(100);
});
beforeEach(() => {
  script = [];
  received = 0;
});

const fast = { initialDelayMs: 1, maxDelayMs: 2 };
const request = { productIds: ['p'] };
const getStockLevels = () => client.getStockLevels.bind(client);

describe('gRPC calls through the kit policy', () => {
  it('retries UNAVAILABLE and succeeds within the attempts', async () => {
    script = ['unavailable', 'unavailable'];
    const caller = createGrpcCaller('stock', { timeoutMs: 1_000, retry: { maxAttempts: 3, ...fast } });
    expect(await caller.call(getStockLevels(), request, { idempotent: false })).toEqual({ data: answer });
    expect(received).toBe(3);
  });

  it('bounds the retries of UNAVAILABLE and then reports the link unavailable (network)', async () => {
    script = Array(10).fill('unavailable');
    const caller = createGrpcCaller('stock', {
      timeoutMs: 1_000,
      retry: { maxAttempts: 3, ...fast },
      breaker: { threshold: 10 },
    });
    expect(await caller.call(getStockLevels(), request, { idempotent: true })).toEqual({
      error: { kind: 'unavailable', reason: 'network' },
    });
    expect(received).toBe(3);
  });

  it('ends a slow attempt at its deadline and retries DEADLINE_EXCEEDED only for an idempotent call', async () => {
    const settings = { timeoutMs: 100, retry: { maxAttempts: 2, ...fast }, breaker: { threshold: 10 } };
    script = ['slow', 'slow'];
    const started = Date.now();
    const idempotent = await createGrpcCaller('stock', settings).call(getStockLevels(), request, { idempotent: true });
    expect(idempotent).toEqual({ error: { kind: 'unavailable', reason: 'timeout' } });
    expect(received).toBe(2);
    expect(Date.now() - started).toBeLessThan(380);

    received = 0;
    script = ['slow'];
    const once = await createGrpcCaller('stock', settings).call(getStockLevels(), request, { idempotent: false });
    expect(once).toEqual({ error: { kind: 'unavailable', reason: 'timeout' } });
    expect(received).toBe(1);
  });

  it('neither retries nor counts a status that blames the caller, and maps it from the catalogue', async () => {
    script = ['invalid', 'invalid', 'invalid'];
    const caller = createGrpcCaller('stock', { retry: { maxAttempts: 3, ...fast }, breaker: { threshold: 2 } });
    for (let i = 0; i < 3; i += 1) {
      expect(await caller.call(getStockLevels(), request, { idempotent: true })).toEqual({
        error: { kind: 'grpc', status: GrpcStatus.INVALID_ARGUMENT, code: 'VALIDATION_FAILED', detail: 'no ids' },
      });
    }
    expect(received).toBe(3);
    expect(caller.policy.breakerState()).toBe('closed');
  });

  it('opens the breaker after consecutive deadline misses, then answers at once without calling', async () => {
    script = ['slow', 'slow'];
    const caller = createGrpcCaller('stock', {
      timeoutMs: 50,
      retry: { maxAttempts: 1 },
      breaker: { threshold: 2, halfOpenAfterMs: 60_000 },
    });
    await caller.call(getStockLevels(), request, { idempotent: true });
    await caller.call(getStockLevels(), request, { idempotent: true });
    expect(caller.policy.breakerState()).toBe('open');
    const started = Date.now();
    const refused = await caller.call(getStockLevels(), request, { idempotent: true });
    expect(refused.error).toMatchObject({ kind: 'unavailable', reason: 'circuit_open', retryAfterSeconds: 60 });
    expect(Date.now() - started).toBeLessThan(20);
    expect(received).toBe(2);
  });

  it('refuses a call when the bulkhead and its queue are full', async () => {
    script = ['slow', 'slow'];
    const caller = createGrpcCaller('stock', { timeoutMs: 1_000, bulkhead: { limit: 1, queue: 0 } });
    const first = caller.call(getStockLevels(), request, { idempotent: true });
    await sleep(20);
    const second = await caller.call(getStockLevels(), request, { idempotent: true });
    expect(second.error).toMatchObject({ kind: 'unavailable', reason: 'bulkhead_full' });
    expect((await first).data).toEqual(answer);
  });

  it('retries nothing but UNAVAILABLE and, for idempotent calls, DEADLINE_EXCEEDED', () => {
    const retryable = (code: GrpcStatus, idempotent: boolean) => {
      const answered = Object.assign(new Error('answered'), { code, details: 'answered', metadata: new Metadata() });
      return isRetryableGrpcFailure(new GrpcStatusError('stock', answered, idempotent));
    };
    expect(retryable(GrpcStatus.UNAVAILABLE, false)).toBe(true);
    expect(retryable(GrpcStatus.DEADLINE_EXCEEDED, true)).toBe(true);
    expect(retryable(GrpcStatus.DEADLINE_EXCEEDED, false)).toBe(false);
    for (const status of [GrpcStatus.INTERNAL, GrpcStatus.RESOURCE_EXHAUSTED, GrpcStatus.UNKNOWN, GrpcStatus.ABORTED]) {
      expect(retryable(status, true)).toBe(false);
    }
  });
});
