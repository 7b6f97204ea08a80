import { z } from 'zod';
import { BROKER_KINDS } from './brokerKind.ts';

/**
 * The shape of `harness.config.ts`, checked on load. Objects are strict, so a misspelt field is an
 * error naming it instead of a setting silently ignored. Cross-references (a link naming an unknown
 * service, a missing spec file) are checked afterwards in `validateConfig`.
 */
const name = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'expected lower-case letters, digits and dashes, starting with a letter');
const nonEmpty = z.string().min(1, 'expected a non-empty string');
const positiveInt = z.number().int('expected an integer').positive('expected a positive number');
const env = z.record(z.string(), z.string({ error: 'expected a string value' }));

const command = z.strictObject({
  command: nonEmpty,
  args: z.array(z.string()).optional(),
  cwd: z.string().optional(),
  env: env.optional(),
});

const database = z.union([
  z.boolean(),
  z.strictObject({
    seed: z.union([z.strictObject({ sql: nonEmpty }), command], {
      error: 'expected { sql: "file.sql" } or { command, args?, cwd?, env? }',
    }),
  }),
]);

export const startedServiceSchema = z.strictObject({
  description: z.string().optional(),
  command: nonEmpty,
  args: z.array(z.string()).optional(),
  cwd: z.string().optional(),
  env: env.optional(),
  ready: nonEmpty.optional(),
  readyTimeoutMs: positiveInt.optional(),
  build: command.optional(),
  database: database.optional(),
  broker: z.boolean().optional(),
  openapi: nonEmpty.optional(),
});

export const attachedServiceSchema = z.strictObject({
  description: z.string().optional(),
  url: z.url({ error: 'expected an absolute http(s) URL' }),
  openapi: nonEmpty.optional(),
});

const resilience = z.strictObject({
  timeoutMs: positiveInt.optional(),
  retry: z
    .strictObject({
      attempts: positiveInt,
      initialDelayMs: z.number().nonnegative(),
      maxDelayMs: z.number().nonnegative(),
      jitter: z.boolean().optional(),
    })
    .refine((retry) => retry.maxDelayMs >= retry.initialDelayMs, {
      error: 'maxDelayMs must be at least initialDelayMs',
      path: ['maxDelayMs'],
    })
    .optional(),
  breaker: z
    .strictObject({ threshold: positiveInt, halfOpenAfterMs: positiveInt, fallback: z.boolean().optional() })
    .optional(),
  bulkhead: z.strictObject({ limit: positiveInt }).optional(),
});

const linkBase = {
  id: z.string().regex(/^[A-Za-z][A-Za-z0-9-]*$/, 'expected letters, digits and dashes, starting with a letter'),
  from: nonEmpty,
  to: nonEmpty,
  purpose: z.string().optional(),
};

export const linkSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      ...linkBase,
      kind: z.literal('http'),
      contract: z.strictObject({ openapi: nonEmpty }),
      resilience: resilience.optional(),
    }),
    z.strictObject({
      ...linkBase,
      kind: z.literal('grpc'),
      contract: z.strictObject({ proto: nonEmpty, service: nonEmpty }),
      resilience: resilience.optional(),
    }),
    z.strictObject({
      ...linkBase,
      kind: z.literal('graphql'),
      contract: z.strictObject({ graphql: nonEmpty }),
      resilience: resilience.optional(),
    }),
    z.strictObject({
      ...linkBase,
      kind: z.literal('amqp'),
      contract: z.strictObject({ asyncapi: nonEmpty, messages: z.array(nonEmpty).min(1) }),
    }),
  ],
  { error: 'expected kind "http", "graphql", "grpc" or "amqp"' },
);

const invariant = z.union(
  [
    z.strictObject({
      name: nonEmpty,
      database: nonEmpty,
      sql: nonEmpty,
      expect: z.union([z.string(), z.number(), z.boolean()]).optional(),
    }),
    z.strictObject({
      name: nonEmpty,
      check: z.custom<(context: unknown) => Promise<string[]>>((value) => typeof value === 'function', {
        error: 'expected a function',
      }),
    }),
  ],
  { error: 'expected { name, database, sql, expect? } or { name, check(context) }' },
);

export const configSchema = z.strictObject({
  name: nonEmpty,
  services: z.record(name, z.unknown()).refine((services) => Object.keys(services).length > 0, {
    error: 'expected at least one service',
  }),
  links: z.array(z.unknown()).optional(),
  infrastructure: z
    .strictObject({
      broker: z.strictObject({ kind: z.enum(BROKER_KINDS, { error: 'expected "rabbitmq" or "kafka"' }) }).optional(),
    })
    .optional(),
  secrets: z.array(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'expected a name of letters, digits and _')).optional(),
  contracts: z
    .strictObject({
      specs: nonEmpty.optional(),
      pacts: nonEmpty.optional(),
      consumerTests: z.array(command.extend({ name: nonEmpty })).optional(),
      providers: z
        .record(
          z.string(),
          z.strictObject({
            states: z.string().startsWith('/', 'expected a path starting with /').optional(),
            messages: z.string().startsWith('/', 'expected a path starting with /').optional(),
            env: env.optional(),
          }),
        )
        .optional(),
    })
    .optional(),
  chaos: z
    .strictObject({
      runner: z.enum(['black-box', 'kit']).optional(),
      entry: nonEmpty.optional(),
      kit: nonEmpty.optional(),
      serviceEnv: z.record(z.string(), z.record(z.string(), z.string())).optional(),
      scenarios: z.array(nonEmpty).optional(),
      invariants: z.array(invariant).optional(),
    })
    .optional(),
  load: z
    .strictObject({
      scripts: z.array(nonEmpty).optional(),
      profiles: z
        .record(
          z.string(),
          z.strictObject({
            script: nonEmpty,
            vus: positiveInt.optional(),
            duration: nonEmpty.optional(),
            thresholds: z.record(z.string(), z.array(z.string())).optional(),
          }),
        )
        .optional(),
      target: nonEmpty.optional(),
    })
    .optional(),
  e2e: z.strictObject({ playwright: nonEmpty, baseUrl: nonEmpty.optional() }).optional(),
  explore: z
    .strictObject({
      workload: z
        .array(
          z.strictObject({
            id: nonEmpty,
            service: nonEmpty,
            method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
            path: nonEmpty,
            body: z.unknown().optional(),
            headers: z.record(z.string(), z.string()).optional(),
            idempotencyKey: z.boolean().optional(),
            count: positiveInt,
            concurrency: positiveInt.optional(),
            intervalMs: z.number().min(0).optional(),
            startMs: z.number().min(0).optional(),
            timeoutMs: positiveInt.optional(),
          }),
        )
        .min(1)
        .optional(),
      faultMs: positiveInt.optional(),
      settleWithinMs: positiveInt.optional(),
      requestBudgetMs: positiveInt.optional(),
      serverErrorsCarryRetryAfter: z.boolean().optional(),
      pairs: z.boolean().optional(),
      serviceEnv: z.record(z.string(), z.record(z.string(), z.string())).optional(),
      ci: z
        .strictObject({
          only: z.array(nonEmpty).min(1),
          pairs: z.boolean().optional(),
          maxRuns: positiveInt.optional(),
        })
        .optional(),
    })
    .optional(),
  mutate: z
    .strictObject({
      mutants: z
        .array(
          z.strictObject({
            name: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a kebab-case name'),
            description: nonEmpty.optional(),
            env: z.record(z.string(), z.record(z.string(), z.string())),
            scenarios: z.array(nonEmpty).optional(),
          }),
        )
        .min(1),
    })
    .optional(),
  fuzz: z
    .strictObject({
      maxExamples: positiveInt.optional(),
      validRequestStatuses: z.array(z.int().min(100).max(599)).optional(),
      headers: z.record(z.string(), z.record(z.string(), z.string())).optional(),
      skip: z.array(nonEmpty).optional(),
      operations: z
        .array(
          z.strictObject({
            service: nonEmpty.optional(),
            operationId: nonEmpty,
            validRequestStatuses: z.array(z.int().min(100).max(599)).min(1),
            reason: nonEmpty,
          }),
        )
        .optional(),
    })
    .optional(),
});
