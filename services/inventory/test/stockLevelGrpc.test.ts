import { credentials, Client, status as GrpcStatus, Metadata, type ServiceError } from '@grpc/grpc-js';
import {
  createGrpcCaller,
  createGrpcServer,
  createLogger,
  createMetrics,
  createPool,
  errorInfoOf,
  STATUS_DETAILS_KEY,
  type GrpcServer,
} from '@harness/kit';
import { GetStockLevelsRequest, StockLevelServiceClient } from '@harness/contracts/grpc/inventory/v1/stock_levels';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInventoryConfig } from '../src/config.ts';
import { stockLevelService } from '../src/grpc/stockLevelService.ts';
import { createService } from '../src/service.ts';
import { testCatalog } from './support/catalogFixture.ts';
import { inventoryDatabase, type InventoryDatabase } from './support/inventoryDatabase.ts';
import { grpcFrame, sendRawHttp2, type RawAnswer } from './support/rawGrpc.ts';
import { SERVICE_TOKEN } from './support/testApp.ts';

const MAX_MESSAGE_BYTES = 4_096;
let database: InventoryDatabase;
let server: GrpcServer;
let address: string;
let client: StockLevelServiceClient;
let raw: Client;

beforeAll(async () => {
  database = await inventoryDatabase(testCatalog({ espresso: 42, moka: 7, grinder: 1 }));
  server = createGrpcServer({ maxMessageBytes: MAX_MESSAGE_BYTES });
  const service = stockLevelService({ pool: database.pool, serviceToken: SERVICE_TOKEN });
  server.server.addService(service.definition, service.implementation);
  address = `127.0.0.1:${await server.listen('127.0.0.1', 0)}`;
  client = new StockLevelServiceClient(address, credentials.createInsecure());
  raw = new Client(address, credentials.createInsecure());
});
afterAll(async () => {
  client?.close();
  raw?.close();
  await server?.close(1_000);
  await database?.close();
});

const caller = () => createGrpcCaller('inventory-grpc', { timeoutMs: 1_000 }, { serviceToken: SERVICE_TOKEN });

/** Sends bytes as they are to a method path, as a client with a broken encoder would (no token: `null`). */
function sendRaw(path: string, bytes: Buffer, token: string | null = SERVICE_TOKEN): Promise<ServiceError> {
  const metadata = new Metadata();
  if (token !== null) metadata.set('x-service-token', token);
  return new Promise((resolve, reject) => {
    raw.makeUnaryRequest(
      path,
      (value: Buffer) => value,
      (value: Buffer) => value,
      bytes,
      metadata,
      { deadline: Date.now() + 2_000 },
      (error) => (error ? resolve(error) : reject(new Error('expected an error status'))),
    );
  });
}

const GET_STOCK_LEVELS = '/harness.inventory.v1.StockLevelService/GetStockLevels';

async function productRows(): Promise<unknown[]> {
  return (await database.pool.query('SELECT id, available, reserved FROM products ORDER BY id')).rows;
}

/** The ErrorInfo of a raw answer's details trailer. */
function errorInfoOfRaw(answer: RawAnswer): ReturnType<typeof errorInfoOf> {
  const metadata = new Metadata();
  if (answer.statusDetails !== undefined) metadata.set(STATUS_DETAILS_KEY, answer.statusDetails);
  return errorInfoOf({ metadata });
}

/** One valid call: the server still answers after bad input. */
async function stillAnswers(): Promise<void> {
  const result = await caller().call(
    client.getStockLevels.bind(client),
    { productIds: ['moka-pot-6'] },
    {
      idempotent: true,
    },
  );
  expect(result.data?.levels).toEqual([{ productId: 'moka-pot-6', available: 7 }]);
}

describe('StockLevelService over gRPC (L11)', () => {
  it('answers the levels of known products and names the unknown ones', async () => {
    const result = await caller().call(
      client.getStockLevels.bind(client),
      { productIds: ['moka-pot-6', 'no-such-thing', 'espresso-1kg', 'moka-pot-6'] },
      { idempotent: true },
    );
    expect(result).toEqual({
      data: {
        levels: [
          { productId: 'moka-pot-6', available: 7 },
          { productId: 'espresso-1kg', available: 42 },
        ],
        unknownProductIds: ['no-such-thing'],
      },
    });
  });

  it('answers an empty list INVALID_ARGUMENT with the catalogue code VALIDATION_FAILED', async () => {
    const result = await caller().call(client.getStockLevels.bind(client), { productIds: [] }, { idempotent: true });
    expect(result.error).toMatchObject({
      kind: 'grpc',
      status: GrpcStatus.INVALID_ARGUMENT,
      code: 'VALIDATION_FAILED',
      detail: expect.stringMatching(/1 to 50 products/),
    });
  });

  it('answers a call with a wrong or no service token UNAUTHENTICATED with an ErrorInfo, and writes nothing', async () => {
    const before = await productRows();
    const request = Buffer.from(GetStockLevelsRequest.encode({ productIds: ['moka-pot-6'] }).finish());
    for (const token of ['wrong', null]) {
      const error = await sendRaw(GET_STOCK_LEVELS, request, token);
      expect(error.code).toBe(GrpcStatus.UNAUTHENTICATED);
      expect(errorInfoOf(error)).toEqual({
        code: 'UNAUTHENTICATED',
        detail: 'a service token is required (x-service-token metadata)',
      });
    }
    expect(await productRows()).toEqual(before);
  });

  it('answers a malformed protobuf frame INVALID_ARGUMENT with an ErrorInfo, and writes nothing', async () => {
    const before = await productRows();
    // Field 1, length-delimited, announcing 100 bytes that never come.
    const error = await sendRaw(GET_STOCK_LEVELS, Buffer.from([0x0a, 0x64, 0x61]));
    expect(error.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(errorInfoOf(error)).toEqual({
      code: 'VALIDATION_FAILED',
      detail: expect.stringMatching(/^the request is not a valid GetStockLevelsRequest/),
    });
    expect(await productRows()).toEqual(before);
    await stillAnswers();
  });

  it('answers a broken frame (truncated, empty, two messages) INTERNAL with an ErrorInfo, writes nothing and serves on', async () => {
    const before = await productRows();
    const message = GetStockLevelsRequest.encode({ productIds: ['moka-pot-6'] }).finish();
    const bodies = {
      // The length prefix announces 100 bytes; the stream ends after 2.
      truncated: grpcFrame(message.subarray(0, 2), { announcedLength: 100 }),
      // Half a length prefix.
      'cut prefix': Buffer.from([0, 0]),
      empty: Buffer.alloc(0),
      'two messages': Buffer.concat([grpcFrame(message), grpcFrame(message)]),
    };
    for (const [name, body] of Object.entries(bodies)) {
      const answer = await sendRawHttp2(address, GET_STOCK_LEVELS, body, { 'x-service-token': SERVICE_TOKEN });
      expect({ name, status: answer.grpcStatus }).toEqual({ name, status: GrpcStatus.INTERNAL });
      expect(answer.httpStatus).toBe(200);
      expect(errorInfoOfRaw(answer)).toEqual({
        code: 'INTERNAL',
        detail: expect.stringMatching(/exactly one complete request message/),
      });
    }
    expect(await productRows()).toEqual(before);
    await stillAnswers();
  });

  it('answers a body that is not gRPC HTTP 415, as the gRPC protocol says', async () => {
    const answer = await sendRawHttp2(address, GET_STOCK_LEVELS, Buffer.from('{"productIds":["x"]}'), {
      'content-type': 'application/json',
      'x-service-token': SERVICE_TOKEN,
    });
    expect(answer.httpStatus).toBe(415);
    await stillAnswers();
  });

  it('answers an unknown method UNIMPLEMENTED', async () => {
    const error = await sendRaw('/harness.inventory.v1.StockLevelService/DropAllStock', Buffer.alloc(0));
    expect(error.code).toBe(GrpcStatus.UNIMPLEMENTED);
    const unknownService = await sendRaw('/harness.inventory.v9.Nothing/Get', Buffer.alloc(0));
    expect(unknownService.code).toBe(GrpcStatus.UNIMPLEMENTED);
  });

  it('answers a message over the size limit RESOURCE_EXHAUSTED, and writes nothing', async () => {
    const before = await productRows();
    const big = GetStockLevelsRequest.encode({ productIds: ['x'.repeat(MAX_MESSAGE_BYTES + 10)] }).finish();
    const error = await sendRaw(GET_STOCK_LEVELS, Buffer.from(big));
    expect(error.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
    expect(error.details).toMatch(/larger than max/);
    expect(await productRows()).toEqual(before);
    await stillAnswers();
  });

  it('answers UNAVAILABLE with DEPENDENCY_UNAVAILABLE when its database cannot be reached', async () => {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    const deadPool = createPool('postgres://nobody:x@127.0.0.1:1/none', { max: 1, connectionTimeoutMillis: 500 });
    const away = createGrpcServer({ maxMessageBytes: MAX_MESSAGE_BYTES });
    const service = stockLevelService({ pool: deadPool, serviceToken: SERVICE_TOKEN });
    away.server.addService(service.definition, service.implementation);
    const awayClient = new StockLevelServiceClient(
      `127.0.0.1:${await away.listen('127.0.0.1', 0)}`,
      credentials.createInsecure(),
    );
    try {
      const result = await createGrpcCaller(
        'inventory-grpc',
        { timeoutMs: 2_000, retry: { maxAttempts: 1 } },
        {
          serviceToken: SERVICE_TOKEN,
        },
      ).call(awayClient.getStockLevels.bind(awayClient), { productIds: ['moka-pot-6'] }, { idempotent: true });
      expect(result.error).toEqual({ kind: 'unavailable', reason: 'network' });
      const raw = await new Promise<ServiceError | null>((resolve) => {
        const metadata = new Metadata();
        metadata.set('x-service-token', SERVICE_TOKEN);
        awayClient.getStockLevels({ productIds: ['moka-pot-6'] }, metadata, (error) => resolve(error));
      });
      expect(raw?.code).toBe(GrpcStatus.UNAVAILABLE);
      expect(raw && errorInfoOf(raw)?.code).toBe('DEPENDENCY_UNAVAILABLE');
    } finally {
      awayClient.close();
      await away.close(100);
      await deadPool.end();
    }
  });
});

describe('the gRPC server as the service wires it from its config', () => {
  it('takes messages up to GRPC_MAX_MESSAGE_BYTES (64 KiB by default) and answers larger ones RESOURCE_EXHAUSTED', async () => {
    const own = await inventoryDatabase(testCatalog({ espresso: 5 }));
    const config = loadInventoryConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      GRPC_PORT: '0',
      SERVICE_TOKEN,
      DATABASE_URL: own.url,
      AMQP_URL: 'amqp://unused',
    });
    expect(config.GRPC_MAX_MESSAGE_BYTES).toBe(65_536);
    const service = createService(config, {
      pool: own.pool,
      messaging: false,
      logger: createLogger({ service: 'inventory', level: 'silent' }),
      metrics: createMetrics('inventory', { defaultMetrics: false }),
    });
    await service.start();
    const wired = new StockLevelServiceClient(`127.0.0.1:${service.grpcPort()}`, credentials.createInsecure());
    const ask = (id: string) =>
      createGrpcCaller(
        'inventory-grpc',
        { timeoutMs: 2_000, retry: { maxAttempts: 1 } },
        { serviceToken: SERVICE_TOKEN },
      ).call(wired.getStockLevels.bind(wired), { productIds: [id] }, { idempotent: true });
    try {
      // One id of 65,530 bytes: a 65,534-byte message, within the bound; the id is simply unknown.
      const within = await ask('x'.repeat(65_530));
      expect(within.data?.unknownProductIds).toHaveLength(1);
      const over = await ask('x'.repeat(65_540));
      expect(over.error).toMatchObject({ kind: 'grpc', status: GrpcStatus.RESOURCE_EXHAUSTED });
    } finally {
      wired.close();
      await service.stop();
      await own.close();
    }
  });
});
