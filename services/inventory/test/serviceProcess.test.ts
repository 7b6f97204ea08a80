import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, launchService, ManagedProcess, serviceEntry, tailOf, type LaunchedService } from '@harness/runtime';
import { createTestDatabase, infra, type TestDatabase } from '@harness/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const token = `svc_${randomBytes(8).toString('hex')}`;
let database: TestDatabase;
let logDir: string;

beforeAll(async () => {
  database = await createTestDatabase('inventory_main');
  logDir = mkdtempSync(path.join(tmpdir(), 'inventory-main-'));
});
afterAll(async () => {
  await database?.drop();
  rmSync(logDir, { recursive: true, force: true });
});

async function launch(): Promise<LaunchedService> {
  return launchService({
    name: 'inventory',
    logDir,
    env: {
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      SERVICE_TOKEN: token,
      DATABASE_URL: database.url,
      AMQP_URL: infra().rabbitmq.url,
      LOG_LEVEL: 'info',
      CATALOG_BULK_STOCK: '500',
    },
  });
}

async function bulkAvailable(service: LaunchedService): Promise<number> {
  const response = await fetch(`${service.url}/products/p-bulk`, { headers: { 'x-service-token': token } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { available: number }).available;
}

describe('inventory process (src/main.ts)', () => {
  it('migrates, seeds, serves, keeps stock across a restart and stops cleanly on SIGTERM', async () => {
    const first = await launch();
    try {
      expect(await bulkAvailable(first)).toBe(500);
      const reserved = await fetch(`${first.url}/reservations/${randomUUID()}`, {
        method: 'PUT',
        headers: { 'x-service-token': token, 'content-type': 'application/json' },
        body: JSON.stringify({ items: [{ productId: 'p-bulk', quantity: 5 }] }),
      });
      expect(reserved.status).toBe(200);
      const ready = await fetch(`${first.url}/health/ready`);
      expect(await ready.json()).toEqual({ status: 'ok', checks: { postgres: 'ok', rabbitmq: 'ok' } });
    } finally {
      await first.stop();
    }
    expect(first.process.exitCode).toBe(0);
    expect(await tailOf(first.process.logFile, 5)).toMatch(/"msg":"stopped"/);

    const second = await launch();
    try {
      expect(await bulkAvailable(second)).toBe(495);
    } finally {
      await second.stop();
    }
  });

  it('refuses to start without its required configuration and names what is missing', async () => {
    const proc = new ManagedProcess({
      name: 'inventory-misconfigured',
      command: process.execPath,
      args: [serviceEntry('inventory')],
      logFile: path.join(logDir, 'misconfigured.log'),
      env: { PATH: process.env.PATH ?? '', PORT: String(await freePort()) },
    });
    await new Promise<void>((resolve) => proc.child.once('exit', () => resolve()));
    expect(proc.exitCode).not.toBe(0);
    const log = await proc.logTail(40);
    for (const variable of ['SERVICE_TOKEN', 'DATABASE_URL', 'AMQP_URL']) expect(log).toContain(variable);
  });
});
