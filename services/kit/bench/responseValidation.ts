// The cost of checking responses against the spec (HARNESS_VALIDATE_RESPONSES=enforce) per request:
// one order-sized body (three lines, formats, enums, patterns) answered through the app builder,
// in process (Fastify inject, no sockets), with the check off and on, interleaved rounds.
// Usage: node services/kit/bench/responseValidation.ts [--requests 20000]
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createServiceApp } from '../src/app/createServiceApp.ts';
import type { ResponseValidationMode } from '../src/app/responseValidator.ts';
import { createLogger } from '../src/observability/logger.ts';
import { createMetrics } from '../src/observability/metrics.ts';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '20000' } } });
const requests = Number(values.requests);
if (!Number.isInteger(requests) || requests < 1000) {
  console.error(`--requests must be a whole number ≥ 1000, got "${values.requests}"`);
  process.exit(2);
}

const line = {
  type: 'object',
  additionalProperties: false,
  required: ['productId', 'quantity', 'unitPriceCents'],
  properties: {
    productId: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,63}$' },
    quantity: { type: 'integer', minimum: 1, maximum: 100 },
    unitPriceCents: { type: 'integer', minimum: 0 },
  },
};
const order = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'status', 'items', 'totalCents', 'currency', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    status: { type: 'string', enum: ['PENDING', 'CONFIRMED', 'CANCELLED'] },
    items: { type: 'array', minItems: 1, maxItems: 20, items: line },
    totalCents: { type: 'integer', minimum: 0 },
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
};
const spec = {
  openapi: '3.1.0',
  info: { title: 'bench', version: '1.0.0' },
  paths: {
    '/orders/{orderId}': {
      get: {
        operationId: 'getOrder',
        parameters: [{ name: 'orderId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: order } } } },
      },
    },
  },
};
const now = new Date().toISOString();
const body = {
  id: randomUUID(),
  status: 'CONFIRMED',
  items: [
    { productId: 'espresso-1kg', quantity: 2, unitPriceCents: 2490 },
    { productId: 'filter-papers', quantity: 1, unitPriceCents: 590 },
    { productId: 'grinder-burr', quantity: 1, unitPriceCents: 8900 },
  ],
  totalCents: 14470,
  currency: 'EUR',
  createdAt: now,
  updatedAt: now,
};

function app(mode: ResponseValidationMode) {
  return createServiceApp({
    name: 'bench',
    spec,
    logger: createLogger({ service: 'bench', level: 'warn', destination: { write: () => undefined } }),
    metrics: createMetrics('bench', { defaultMetrics: false }),
    validateResponses: mode,
    logRequests: false,
    handlers: { getOrder: () => ({ status: 200, body }) },
  });
}

const url = `/orders/${body.id}`;
async function round(target: ReturnType<typeof app>, count: number): Promise<number> {
  const started = process.hrtime.bigint();
  for (let n = 0; n < count; n++) {
    const response = await target.inject({ url });
    if (response.statusCode !== 200) throw new Error(`answered ${response.statusCode}: ${response.body}`);
  }
  return Number(process.hrtime.bigint() - started) / 1e3;
}

const rounds = 6;
const per = Math.floor(requests / rounds);
let offMicros = 0;
let enforceMicros = 0;
// Fresh apps every round, built and run in alternating order: the first app built in a process
// runs a few µs slower, which would otherwise land on one side.
for (let r = 0; r < rounds; r++) {
  const modes: ResponseValidationMode[] = r % 2 === 0 ? ['off', 'enforce'] : ['enforce', 'off'];
  const apps = modes.map((mode) => ({ mode, target: app(mode) }));
  for (const { target } of apps) await round(target, 1000);
  for (const { mode, target } of apps) {
    const micros = await round(target, per);
    if (mode === 'off') offMicros += micros;
    else enforceMicros += micros;
    await target.close();
  }
}
const total = per * rounds;
const offPer = offMicros / total;
const enforcePer = enforceMicros / total;
console.log(`response validation, ${total} requests each (in process, Fastify inject):`);
console.log(`  off      ${offPer.toFixed(1)} µs/request`);
console.log(`  enforce  ${enforcePer.toFixed(1)} µs/request`);
console.log(
  `  cost     ${(enforcePer - offPer).toFixed(1)} µs/request; enforce ÷ off = ${(enforcePer / offPer).toFixed(3)}`,
);
