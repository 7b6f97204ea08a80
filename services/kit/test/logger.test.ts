import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { inSpan, SpanKind } from '../src/observability/tracing.ts';
import { redactSecrets } from '../src/observability/redactSecrets.ts';
import { capturedLogger } from './support/logCapture.ts';

describe('createLogger', () => {
  it('redacts secrets but keeps idempotency keys', () => {
    const { logger, lines } = capturedLogger();
    logger.info(
      {
        headers: {
          authorization: 'Bearer abc',
          'x-service-token': 'tok',
          cookie: 'sid=1',
          'idempotency-key': 'checkout-1',
        },
        body: { paymentToken: 'tok_approve', password: 'hunter2' },
        token: 'tok_top',
      },
      'request',
    );
    const text = JSON.stringify(lines[0]);
    for (const secret of ['Bearer abc', '"tok"', 'sid=1', 'tok_approve', 'hunter2', 'tok_top'])
      expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({
      service: 'test',
      headers: { 'idempotency-key': 'checkout-1', authorization: '[REDACTED]' },
    });
  });

  it('mixes in trace_id and span_id of the active span', async () => {
    const { logger, lines } = capturedLogger();
    const ids = await inSpan('work', { kind: SpanKind.INTERNAL }, async (span) => {
      logger.info('inside');
      return span.spanContext();
    });
    logger.info('outside');
    expect(lines[0]).toMatchObject({ msg: 'inside', trace_id: ids.traceId, span_id: ids.spanId });
    expect(lines[1]).not.toHaveProperty('trace_id');
  });

  it('redacts secrets three levels deep and leaves objects without secrets untouched', () => {
    const clean = { orderId: 'o-1', items: [{ productId: 'p', quantity: 1 }], outcome: { kind: 'reserved' } };
    expect(redactSecrets(clean)).toBe(clean);
    const nested = { call: { request: { headers: { 'x-service-token': 'svc_x' }, password: 'p' } }, keep: 1 };
    expect(redactSecrets(nested)).toEqual({
      call: { request: { headers: { 'x-service-token': 'svc_x' }, password: '[REDACTED]' } },
      keep: 1,
    });
    expect(nested.call.request.password).toBe('p');
    const { logger, lines } = capturedLogger();
    logger.info({ config: { db: { password: 'hunter2' } } }, 'starting');
    expect(lines[0]).toMatchObject({ config: { db: { password: '[REDACTED]' } } });
  });

  it('writes stdout asynchronously and still flushes every line when the process exits at once', () => {
    // 3000 lines in one synchronous burst, then process.exit: none may be lost on the way out.
    const logger = new URL('../src/observability/logger.ts', import.meta.url).href;
    const script = [
      `const { createLogger } = await import(${JSON.stringify(logger)});`,
      "const log = createLogger({ service: 'burst' });",
      "for (let i = 0; i < 3000; i++) log.info({ i }, 'line');",
      'process.exit(3);',
    ].join('\n');
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(3);
    const lines = child.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { i: number; service: string });
    expect(lines).toHaveLength(3000);
    expect(lines.map((line) => line.i)).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    expect(lines[0]?.service).toBe('burst');
  });
});
