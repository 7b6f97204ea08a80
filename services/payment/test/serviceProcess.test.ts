import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, launchService, tailOf } from '@harness/runtime';
import { createTestDatabase, type TestDatabase } from '@harness/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const token = `svc_${randomBytes(8).toString('hex')}`;
let database: TestDatabase;
let logDir: string;

beforeAll(async () => {
  database = await createTestDatabase('payment_main');
  logDir = mkdtempSync(path.join(tmpdir(), 'payment-main-'));
});
afterAll(async () => {
  await database?.drop();
  rmSync(logDir, { recursive: true, force: true });
});

describe('payment process (src/main.ts)', () => {
  it('migrates, charges with the service token, and stops cleanly on SIGTERM', async () => {
    const service = await launchService({
      name: 'payment',
      logDir,
      env: {
        PORT: String(await freePort()),
        HOST: '127.0.0.1',
        SERVICE_TOKEN: token,
        DATABASE_URL: database.url,
        LOG_LEVEL: 'info',
        SLOW_TOKEN_DELAY_MS: '100',
      },
    });
    try {
      const orderId = randomUUID();
      const charge = await fetch(`${service.url}/charges`, {
        method: 'POST',
        headers: {
          'x-service-token': token,
          'content-type': 'application/json',
          'idempotency-key': `charge-${orderId}`,
        },
        body: JSON.stringify({ orderId, amountCents: 100, currency: 'EUR', token: 'tok_slow' }),
      });
      expect(charge.status).toBe(201);
      const unauthenticated = await fetch(`${service.url}/charges?orderId=${orderId}`);
      expect(unauthenticated.status).toBe(401);
      const ready = await fetch(`${service.url}/health/ready`);
      expect(await ready.json()).toEqual({ status: 'ok', checks: { postgres: 'ok' } });
    } finally {
      await service.stop();
    }
    expect(service.process.exitCode).toBe(0);
    expect(await tailOf(service.process.logFile, 5)).toMatch(/"msg":"stopped"/);
  });
});
