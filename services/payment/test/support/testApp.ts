import { createLogger, createMetrics } from '@harness/kit';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { createSimulatedPsp } from '../../src/psp/simulatedPsp.ts';
import type { PaymentDatabase } from './paymentDatabase.ts';

export const SERVICE_TOKEN = 'test-service-token';

/** The payment app on a test database, requiring SERVICE_TOKEN, logging nothing. */
export function testApp(database: PaymentDatabase, options: { slowDelayMs?: number } = {}): FastifyInstance {
  return buildApp({
    pool: database.pool,
    psp: createSimulatedPsp({ slowDelayMs: options.slowDelayMs ?? 300 }),
    idempotency: { claimTtlMs: 10_000, conflictRetryAfterSeconds: 1 },
    logger: createLogger({ service: 'payment', level: 'silent' }),
    metrics: createMetrics('payment', { defaultMetrics: false }),
    serviceToken: SERVICE_TOKEN,
  });
}
