import { describe, expect, it } from 'vitest';
import { createServiceApp } from '../src/app/createServiceApp.ts';
import type { HandlerResponse } from '../src/app/handlerTypes.ts';
import { AppError } from '../src/errors/AppError.ts';
import { responseValidationMode, type ResponseValidationMode } from '../src/app/responseValidator.ts';
import { createMetrics } from '../src/observability/metrics.ts';
import { capturedLogger } from './support/logCapture.ts';

const thing = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'count'],
  properties: { id: { type: 'string' }, count: { type: 'integer', minimum: 0 } },
};

const spec = {
  openapi: '3.1.0',
  info: { title: 'things', version: '1.0.0' },
  paths: {
    '/things/{id}': {
      get: {
        operationId: 'getThing',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': {
            description: 'found',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
          },
          '4XX': { description: 'refused', content: { 'application/problem+json': { schema: { type: 'object' } } } },
        },
      },
      delete: { operationId: 'deleteThing', responses: { '204': { description: 'gone' } } },
    },
  },
  components: { schemas: { Thing: thing } },
};

/** An app whose handlers answer what `answer` says, checked in `mode`. */
function build(mode: ResponseValidationMode, answer: HandlerResponse) {
  const { logger, lines } = capturedLogger('things');
  const app = createServiceApp({
    name: 'things',
    spec,
    logger,
    metrics: createMetrics('things', { defaultMetrics: false }),
    validateResponses: mode,
    handlers: { getThing: () => answer, deleteThing: () => answer },
  });
  return { app, lines };
}

const mismatchLogs = (lines: Record<string, unknown>[]) =>
  lines.filter((line) => line.msg === 'response does not match the spec');

describe('responses checked against the spec', () => {
  it('lets a response that matches its operation through, in every mode', async () => {
    for (const mode of ['off', 'log', 'enforce'] as const) {
      const { app, lines } = build(mode, { status: 200, body: { id: 't1', count: 2 } });
      const response = await app.inject({ url: '/things/t1' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ id: 't1', count: 2 });
      expect(mismatchLogs(lines)).toEqual([]);
    }
  });

  it.each([
    ['a field of the wrong type', { status: 200, body: { id: 't1', count: 'two' } }, '/count must be integer'],
    ['a missing required field', { status: 200, body: { id: 't1' } }, "must have required property 'count'"],
    [
      'an undeclared field',
      { status: 200, body: { id: 't1', count: 1, secret: 'x' } },
      'must NOT have additional properties',
    ],
    [
      'an undeclared status',
      { status: 201, body: { id: 't1', count: 1 } },
      'answered 201, which its spec does not declare (200, 4XX)',
    ],
    ['no body where one is declared', { status: 200 }, 'without the body its spec declares (application/json)'],
  ] as const)('enforce: %s is a 500 naming the mismatch, and logged', async (_what, answer, expected) => {
    const { app, lines } = build('enforce', answer);
    const response = await app.inject({ url: '/things/t1' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toMatchObject({ code: 'INTERNAL', detail: expect.stringContaining(expected) });
    expect(mismatchLogs(lines)).toHaveLength(1);
  });

  it('enforce: a body where the spec declares none, and a status matched by its range (4XX)', async () => {
    const bodyOnDelete = build('enforce', { status: 204, body: { gone: true } });
    const deleted = await bodyOnDelete.app.inject({ method: 'DELETE', url: '/things/t1' });
    expect(deleted.statusCode).toBe(500);
    expect(deleted.json().detail).toContain('DELETE /things/{id} answered 204 with a body its spec does not declare');
    const refused = build('enforce', {
      status: 409,
      body: { code: 'X' },
      headers: { 'content-type': 'application/problem+json' },
    });
    expect((await refused.app.inject({ url: '/things/t1' })).statusCode).toBe(409);
  });

  it('log: sends the response as it is and logs the mismatch; off: checks nothing', async () => {
    const logged = build('log', { status: 200, body: { id: 't1' } });
    const response = await logged.app.inject({ url: '/things/t1' });
    expect(response.statusCode).toBe(200);
    expect(mismatchLogs(logged.lines)).toEqual([
      expect.objectContaining({ operationId: 'getThing', mismatches: [expect.stringContaining("'count'")] }),
    ]);
    const off = build('off', { status: 200, body: { id: 't1' } });
    expect((await off.app.inject({ url: '/things/t1' })).statusCode).toBe(200);
    expect(mismatchLogs(off.lines)).toEqual([]);
  });

  it("checks the kit's own error answers too: an undeclared 404 thrown by a handler is a 500 in enforce", async () => {
    const throwing = (mode: ResponseValidationMode) => {
      const { logger, lines } = capturedLogger('things');
      const app = createServiceApp({
        name: 'things',
        spec,
        logger,
        metrics: createMetrics('things', { defaultMetrics: false }),
        validateResponses: mode,
        handlers: {
          getThing: () => {
            throw new AppError('NOT_FOUND');
          },
          deleteThing: () => {
            throw new AppError('NOT_FOUND');
          },
        },
      });
      return { app, lines };
    };
    const errorLogs = (lines: Record<string, unknown>[]) =>
      lines.filter((line) => line.msg === 'error response does not match the spec');
    // getThing declares 4XX: its 404 problem is what the spec allows.
    const declared = throwing('enforce');
    expect((await declared.app.inject({ url: '/things/t1' })).statusCode).toBe(404);
    expect(errorLogs(declared.lines)).toEqual([]);
    // deleteThing declares only 204.
    const enforced = throwing('enforce');
    const refused = await enforced.app.inject({ method: 'DELETE', url: '/things/t1' });
    expect(refused.statusCode).toBe(500);
    expect(refused.json()).toMatchObject({
      code: 'INTERNAL',
      detail: expect.stringContaining('DELETE /things/{id} answered 404, which its spec does not declare (204)'),
    });
    expect(errorLogs(enforced.lines)).toHaveLength(1);
    const logged = throwing('log');
    expect((await logged.app.inject({ method: 'DELETE', url: '/things/t1' })).statusCode).toBe(404);
    expect(errorLogs(logged.lines)).toHaveLength(1);
  });

  it('reads the mode from HARNESS_VALIDATE_RESPONSES, refusing an unknown one', () => {
    expect(responseValidationMode(undefined)).toBe('off');
    expect(responseValidationMode('enforce')).toBe('enforce');
    expect(() => responseValidationMode('strict')).toThrow(/must be off, log or enforce, got "strict"/);
  });
});
