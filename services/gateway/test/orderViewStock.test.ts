import { status as GrpcStatus, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { createGrpcServer, grpcErrorStatus, type GrpcServer } from '@harness/kit';
import {
  StockLevelServiceService,
  type GetStockLevelsRequest,
  type GetStockLevelsResponse,
} from '@harness/contracts/grpc/inventory/v1/stock_levels';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createStockLevelsClient, type StockLevelsClient } from '../src/stock/stockLevelsClient.ts';
import { confirmedOrder, orderId } from './support/fixtures.ts';
import { fullAuth, gatewayUnderTest, serviceToken } from './support/gatewayUnderTest.ts';
import { dependencyStubs } from './support/stubs.ts';

/** A stand-in inventory gRPC server: answers from `available`, or as `behaviour` says. */
let behaviour: 'answer' | 'slow' | 'unavailable' = 'answer';
const requests: GetStockLevelsRequest[] = [];
const available: Record<string, number> = { 'espresso-1kg': 40, 'moka-pot-6': 3 };

function getStockLevels(
  call: ServerUnaryCall<GetStockLevelsRequest, GetStockLevelsResponse>,
  callback: sendUnaryData<GetStockLevelsResponse>,
): void {
  requests.push(call.request);
  if (call.metadata.get('x-service-token')[0] !== serviceToken) {
    callback(grpcErrorStatus('UNAUTHENTICATED', 'token'));
    return;
  }
  const answer = {
    levels: call.request.productIds.map((productId) => ({ productId, available: available[productId] ?? 0 })),
    unknownProductIds: [],
  };
  if (behaviour === 'slow') setTimeout(() => callback(null, answer), 500).unref();
  else if (behaviour === 'unavailable') callback({ code: GrpcStatus.UNAVAILABLE, details: 'going away' });
  else callback(null, answer);
}

const { stubs, ready } = dependencyStubs();
let server: GrpcServer;
let stockLevels: StockLevelsClient;
let app: FastifyInstance;

beforeAll(async () => {
  await ready;
  server = createGrpcServer({ maxMessageBytes: 65_536 });
  server.server.addService(StockLevelServiceService, { getStockLevels });
  const port = await server.listen('127.0.0.1', 0);
  stockLevels = createStockLevelsClient({
    address: `127.0.0.1:${port}`,
    serviceToken,
    resilience: {
      timeoutMs: 100,
      retry: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 2 },
      breaker: { threshold: 4, halfOpenAfterMs: 60_000 },
    },
  });
  app = gatewayUnderTest({
    orderUrl: stubs.order.url,
    inventoryUrl: stubs.inventory.url,
    notificationUrl: stubs.notification.url,
    stockLevels,
  }).app;
});
afterAll(async () => {
  await app?.close();
  stockLevels?.close();
  await server?.close(100);
});
beforeEach(() => {
  requests.length = 0;
  stubs.order.handler = () => ({ status: 200, body: confirmedOrder });
  stubs.notification.handler = () => ({ status: 200, body: { items: [] } });
});

const getView = () => app.inject({ method: 'GET', url: `/api/v1/orders/${orderId}`, headers: fullAuth });

describe('GET /api/v1/orders/{orderId} with the stock over gRPC (L11)', () => {
  it('adds the stock of the order products, asked once per product', async () => {
    behaviour = 'answer';
    const response = await getView();
    expect(response.statusCode).toBe(200);
    const productIds = [...new Set(confirmedOrder.items.map((item) => item.productId))];
    expect(response.json()).toMatchObject({
      degraded: [],
      stock: productIds.map((productId) => ({ productId, available: available[productId] ?? 0 })),
    });
    expect(requests).toEqual([{ productIds }]);
  });

  it('retries UNAVAILABLE once (bounded), then serves the view degraded', async () => {
    behaviour = 'unavailable';
    const response = await getView();
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ stock: [], degraded: ['stock'] });
    expect(requests).toHaveLength(2);
  });

  it('misses the deadline, serves the view degraded, and once the circuit is open stops calling', async () => {
    behaviour = 'slow';
    const first = await getView();
    expect(first.json()).toMatchObject({ stock: [], degraded: ['stock'] });
    expect(requests).toHaveLength(2);
    // Two UNAVAILABLE attempts in the test before plus two deadline misses: the breaker (4) is open.
    requests.length = 0;
    const started = Date.now();
    const refused = await getView();
    expect(refused.statusCode).toBe(200);
    expect(refused.json()).toMatchObject({ stock: [], degraded: ['stock'] });
    expect(requests).toHaveLength(0);
    expect(Date.now() - started).toBeLessThan(100);
  });
});
