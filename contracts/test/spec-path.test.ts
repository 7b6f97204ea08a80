import { readFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventSchemasPath, openapiServices, specPath } from '../src/index.ts';

describe('specPath', () => {
  it('points at the bundled spec of every service, with no external refs left', async () => {
    for (const service of openapiServices) {
      const path = specPath(service);
      expect(isAbsolute(path)).toBe(true);
      const text = await readFile(path, 'utf8');
      expect(JSON.parse(text).openapi).toBe('3.1.0');
      expect(text).not.toMatch(/"\$ref": "\.\//);
    }
  });

  it('gives the gateway spec its /api/v1 server and problem responses', async () => {
    const spec = JSON.parse(await readFile(specPath('gateway'), 'utf8'));
    expect(spec.servers[0].url).toBe('{origin}/api/v1');
    expect(spec.components.responses.TooManyRequests.headers['Retry-After']).toBeDefined();
    expect(spec.paths['/orders'].post.parameters).toEqual([{ $ref: '#/components/parameters/IdempotencyKey' }]);
  });

  it('points at the event schema document', async () => {
    const schemas = JSON.parse(await readFile(eventSchemasPath(), 'utf8'));
    expect(Object.keys(schemas.$defs)).toEqual(
      expect.arrayContaining(['OrderConfirmedPayload', 'OrderCancelledHeaders']),
    );
  });
});
