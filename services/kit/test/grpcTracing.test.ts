import { credentials, Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import {
  GetStockLevelsRequest,
  StockLevelServiceClient,
  StockLevelServiceService,
  type GetStockLevelsResponse,
} from '@harness/contracts/grpc/inventory/v1/stock_levels';
import { SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../src/errors/AppError.ts';
import { createGrpcCaller } from '../src/grpc/callGrpc.ts';
import { createGrpcServer, unaryHandler, withRawRequests, type GrpcServer } from '../src/grpc/grpcServer.ts';
import { inSpan, installTracing, shutdownTracing, SpanKind } from '../src/observability/tracing.ts';

// The SDK's provider, as exportTraces installs it, but into memory: the spans of both ends.
const exporter = new InMemorySpanExporter();
installTracing({ spanProcessors: [new SimpleSpanProcessor(exporter)], serviceName: 'kit-grpc-test' });

const TOKEN = 'grpc-tracing-token';
const METHOD = 'harness.inventory.v1.StockLevelService/GetStockLevels';
/** What the server does with the next calls, in order; then it answers. */
let script: Array<'unavailable' | 'answer'> = [];
let server: GrpcServer;
let client: StockLevelServiceClient;

beforeAll(async () => {
  server = createGrpcServer({ maxMessageBytes: 4_096 });
  server.server.addService(withRawRequests(StockLevelServiceService), {
    getStockLevels: unaryHandler(
      (bytes) => GetStockLevelsRequest.decode(bytes),
      async (request): Promise<GetStockLevelsResponse> => {
        if (script.shift() === 'unavailable') throw new AppError('DEPENDENCY_UNAVAILABLE', { detail: 'away' });
        // The handler's own work: a span that should be the server span's child.
        return inSpan('lookup', { kind: SpanKind.INTERNAL }, async () => ({
          levels: request.productIds.map((productId) => ({ productId, available: 1 })),
          unknownProductIds: [],
        }));
      },
      { requestName: 'GetStockLevelsRequest', serviceToken: TOKEN },
    ),
  });
  client = new StockLevelServiceClient(
    `127.0.0.1:${await server.listen('127.0.0.1', 0)}`,
    credentials.createInsecure(),
  );
});
afterAll(async () => {
  client?.close();
  await server?.close(100);
  await shutdownTracing();
});
beforeEach(() => {
  exporter.reset();
  script = [];
});

const spans = (): ReadableSpan[] => exporter.getFinishedSpans();
const named = (name: string, kind: SpanKind): ReadableSpan[] =>
  spans().filter((span) => span.name === name && span.kind === kind);
const parentOf = (span: ReadableSpan | undefined): string | undefined => span?.parentSpanContext?.spanId;
const idOf = (span: ReadableSpan | undefined): string | undefined => span?.spanContext().spanId;
const getStockLevels = () => client.getStockLevels.bind(client);

describe('trace context over gRPC', () => {
  it('makes a client span in the caller’s trace and a server span that is its child, with the handler’s spans below', async () => {
    const caller = createGrpcCaller('stock', { timeoutMs: 1_000 }, { serviceToken: TOKEN });
    const traceId = await inSpan('GET /orders/{id}', { kind: SpanKind.SERVER }, async (span) => {
      const result = await caller.call(getStockLevels(), { productIds: ['p'] }, { idempotent: true });
      expect(result.data?.levels).toEqual([{ productId: 'p', available: 1 }]);
      return span.spanContext().traceId;
    });
    const request = named('GET /orders/{id}', SpanKind.SERVER)[0];
    const [clientSpan] = named(METHOD, SpanKind.CLIENT);
    const [serverSpan] = named(METHOD, SpanKind.SERVER);
    const [lookup] = named('lookup', SpanKind.INTERNAL);
    for (const span of [clientSpan, serverSpan, lookup]) expect(span?.spanContext().traceId).toBe(traceId);
    expect(parentOf(clientSpan)).toBe(idOf(request));
    expect(parentOf(serverSpan)).toBe(idOf(clientSpan));
    expect(parentOf(lookup)).toBe(idOf(serverSpan));
    for (const span of [clientSpan, serverSpan]) {
      expect(span?.attributes).toMatchObject({
        'rpc.system': 'grpc',
        'rpc.service': 'harness.inventory.v1.StockLevelService',
        'rpc.method': 'GetStockLevels',
        'rpc.grpc.status_code': GrpcStatus.OK,
      });
      expect(span?.status.code).toBe(SpanStatusCode.UNSET);
    }
    expect(clientSpan?.attributes['peer.service']).toBe('stock');
  });

  it('puts every attempt of a retried call under the one client span, which records the retry', async () => {
    script = ['unavailable'];
    const caller = createGrpcCaller(
      'stock',
      { timeoutMs: 1_000, retry: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 2 } },
      { serviceToken: TOKEN },
    );
    await inSpan('request', { kind: SpanKind.SERVER }, () =>
      caller.call(getStockLevels(), { productIds: ['p'] }, { idempotent: true }),
    );
    const [clientSpan] = named(METHOD, SpanKind.CLIENT);
    const attempts = named(METHOD, SpanKind.SERVER);
    expect(attempts.map((span) => span.attributes['rpc.grpc.status_code'])).toEqual([
      GrpcStatus.UNAVAILABLE,
      GrpcStatus.OK,
    ]);
    for (const attempt of attempts) expect(parentOf(attempt)).toBe(idOf(clientSpan));
    // UNAVAILABLE is the server's own failure: an error on the server span.
    expect(attempts[0]?.status.code).toBe(SpanStatusCode.ERROR);
    expect(clientSpan?.events.map((event) => event.name)).toEqual(['resilience.retry']);
  });

  it('marks a refused call an error on the client span only: UNAUTHENTICATED blames the caller', async () => {
    const caller = createGrpcCaller('stock', { timeoutMs: 1_000 }, { serviceToken: 'wrong' });
    const result = await caller.call(getStockLevels(), { productIds: ['p'] }, { idempotent: true });
    expect(result.error).toMatchObject({ kind: 'grpc', status: GrpcStatus.UNAUTHENTICATED });
    const [clientSpan] = named(METHOD, SpanKind.CLIENT);
    const [serverSpan] = named(METHOD, SpanKind.SERVER);
    expect(parentOf(serverSpan)).toBe(idOf(clientSpan));
    expect(clientSpan?.status.code).toBe(SpanStatusCode.ERROR);
    expect(serverSpan?.attributes['rpc.grpc.status_code']).toBe(GrpcStatus.UNAUTHENTICATED);
    expect(serverSpan?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('starts a new trace on the server for a call that carries no trace context, and ignores a garbled one', async () => {
    for (const traceparent of [undefined, 'not-a-traceparent']) {
      exporter.reset();
      const metadata = new Metadata();
      metadata.set('x-service-token', TOKEN);
      if (traceparent !== undefined) metadata.set('traceparent', traceparent);
      await new Promise((resolve) => client.getStockLevels({ productIds: ['p'] }, metadata, resolve));
      const [serverSpan] = named(METHOD, SpanKind.SERVER);
      expect(serverSpan?.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(serverSpan?.parentSpanContext).toBeUndefined();
    }
  });
});
