import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, launchService, type InfraDescription, type LaunchedService } from '@harness/runtime';
import { infra as testInfra } from '@harness/runtime/testing';
import { createMetrics, loadConfig, type Pool, type ResilienceEventLog } from '@harness/kit';
import pg from 'pg';
import { Toxiproxy, type Proxy } from 'toxiproxy-node-client';
import { orderConfigSchema, type OrderConfig } from '../../src/config.ts';
import { createService } from '../../src/service.ts';
import type { FastifyInstance } from 'fastify';

declare module 'vitest' {
  export interface ProvidedContext {
    infra: InfraDescription;
  }
}

/**
 * The system the order service's component tests run against: real PostgreSQL and RabbitMQ from
 * the global setup, the REAL inventory and payment services as child processes (each with a fresh
 * database), and a Toxiproxy proxy in front of each so tests can cut or slow a link.
 */
export interface OrderTestSystem {
  serviceToken: string;
  amqpUrl: string;
  logDir: string;
  inventory: LaunchedService;
  payment: LaunchedService;
  /** The links as the order service sees them (through Toxiproxy). */
  inventoryProxy: Proxy;
  paymentProxy: Proxy;
  inventoryLinkUrl: string;
  paymentLinkUrl: string;
  /** A fresh, migrated-on-start database for an order service instance. */
  newOrderDatabase(): Promise<string>;
  /** Removes every toxic and re-enables both proxies. */
  healLinks(): Promise<void>;
  stop(): Promise<void>;
}

export interface TestSystemOptions {
  /** How long `tok_slow` takes at payment. */
  slowTokenDelayMs?: number;
  scarceStock?: number;
}

const unique = (prefix: string): string => `${prefix}_${randomBytes(5).toString('hex')}`;

/** Databases this test file created, dropped when its system stops. */
const createdDatabases: string[] = [];

async function asSuperuser<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testInfra().postgres.url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh database on the test PostgreSQL (superuser), returned as a URL. */
export async function createDatabase(prefix: string): Promise<string> {
  const name = unique(prefix);
  await asSuperuser((client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
  createdDatabases.push(name);
  const url = new URL(testInfra().postgres.url);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropCreatedDatabases(): Promise<void> {
  const names = createdDatabases.splice(0);
  await asSuperuser(async (client) => {
    for (const name of names)
      await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  });
}

export async function startTestSystem(options: TestSystemOptions = {}): Promise<OrderTestSystem> {
  const infra = testInfra();
  const serviceToken = `svc_${randomBytes(16).toString('hex')}`;
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'order-test-'));
  const common = { HOST: '127.0.0.1', SERVICE_TOKEN: serviceToken, LOG_LEVEL: 'warn' };
  const [inventoryDb, paymentDb, inventoryPort, paymentPort] = await Promise.all([
    createDatabase('inventory_t'),
    createDatabase('payment_t'),
    freePort(),
    freePort(),
  ]);
  const started: LaunchedService[] = [];
  const proxies: Proxy[] = [];
  try {
    const [inventory, payment] = await Promise.all([
      launchService({
        name: 'inventory',
        logDir,
        env: {
          ...common,
          PORT: String(inventoryPort),
          DATABASE_URL: inventoryDb,
          AMQP_URL: infra.rabbitmq.url,
          CATALOG_SCARCE_STOCK: String(options.scarceStock ?? 3),
        },
      }),
      launchService({
        name: 'payment',
        logDir,
        env: {
          ...common,
          PORT: String(paymentPort),
          DATABASE_URL: paymentDb,
          SLOW_TOKEN_DELAY_MS: String(options.slowTokenDelayMs ?? 3_000),
        },
      }),
    ]);
    started.push(inventory, payment);
    const toxiproxy = new Toxiproxy(infra.toxiproxy.url);
    const proxyTo = async (name: string, port: number): Promise<Proxy> => {
      const proxy = await toxiproxy.createProxy({
        name: unique(`order-test-${name}`),
        listen: `127.0.0.1:${await freePort()}`,
        upstream: `127.0.0.1:${port}`,
      });
      proxies.push(proxy);
      return proxy;
    };
    const inventoryProxy = await proxyTo('inventory', inventoryPort);
    const paymentProxy = await proxyTo('payment', paymentPort);
    return {
      serviceToken,
      amqpUrl: infra.rabbitmq.url,
      logDir,
      inventory,
      payment,
      inventoryProxy,
      paymentProxy,
      inventoryLinkUrl: `http://${inventoryProxy.listen}`,
      paymentLinkUrl: `http://${paymentProxy.listen}`,
      newOrderDatabase: () => createDatabase('order_t'),
      async healLinks() {
        // Straight to Toxiproxy's HTTP API: list and delete toxics, re-enable the proxy.
        for (const proxy of [inventoryProxy, paymentProxy]) {
          const base = `${infra.toxiproxy.url}/proxies/${proxy.name}`;
          const toxics = (await (await fetch(`${base}/toxics`)).json()) as Array<{ name: string }>;
          for (const toxic of toxics) await fetch(`${base}/toxics/${toxic.name}`, { method: 'DELETE' });
          await fetch(base, { method: 'POST', body: JSON.stringify({ enabled: true }) });
        }
      },
      async stop() {
        await Promise.allSettled(proxies.map((proxy) => proxy.remove()));
        await Promise.allSettled(started.map((service) => service.stop()));
        await dropCreatedDatabases();
        fs.rmSync(logDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.allSettled(proxies.map((proxy) => proxy.remove()));
    await Promise.allSettled(started.map((service) => service.stop()));
    throw error;
  }
}

/** The env of an order service process in this system (for `launchService` and in-process). */
export function orderEnv(
  system: OrderTestSystem,
  databaseUrl: string,
  port: number,
  overrides: Record<string, string> = {},
) {
  return {
    SERVICE_NAME: 'order',
    HOST: '127.0.0.1',
    PORT: String(port),
    SERVICE_TOKEN: system.serviceToken,
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    AMQP_URL: system.amqpUrl,
    INVENTORY_URL: system.inventoryLinkUrl,
    PAYMENT_URL: system.paymentLinkUrl,
    ...overrides,
  };
}

/** An order service in this test process, from the createService main.ts runs (pool, broker, relay). */
export interface InProcessOrderService {
  app: FastifyInstance;
  pool: Pool;
  config: OrderConfig;
  resilienceEvents: ResilienceEventLog;
  stop(): Promise<void>;
}

export async function startOrderInProcess(
  system: OrderTestSystem,
  overrides: Record<string, string> = {},
): Promise<InProcessOrderService> {
  const databaseUrl = await system.newOrderDatabase();
  const config = loadConfig(orderConfigSchema, orderEnv(system, databaseUrl, 0, { DB_POOL_MAX: '10', ...overrides }));
  const service = createService(config, { metrics: createMetrics('order', { defaultMetrics: false }) });
  try {
    await service.start();
  } catch (error) {
    await service.stop().catch(() => undefined);
    throw error;
  }
  return service;
}

/** An order service as a child process (for crash tests), on a given database. */
export async function launchOrderProcess(
  system: OrderTestSystem,
  databaseUrl: string,
  overrides: Record<string, string> = {},
): Promise<LaunchedService> {
  const port = await freePort();
  return launchService({ name: 'order', logDir: system.logDir, env: orderEnv(system, databaseUrl, port, overrides) });
}
