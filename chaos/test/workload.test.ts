import { describe, expect, it } from 'vitest';
import type { ResponseRecord } from '../src/workload/ResponseRecord.ts';
import { runWorkload } from '../src/workload/runWorkload.ts';
import type { WorkloadClient } from '../src/workload/WorkloadClient.ts';

const answer = (stream: string, kind: ResponseRecord['kind']): ResponseRecord => ({
  stream,
  kind,
  key: '',
  startMs: Date.now(),
  endMs: Date.now(),
  status: 200,
  retryAfter: undefined,
  orderId: undefined,
  problemCode: undefined,
  detail: undefined,
  bodyIntact: true,
});

const context = (client: WorkloadClient) => ({
  client,
  t0: Date.now(),
  signal: new AbortController().signal,
  keyPrefix: 't',
  referenceOrderIds: [],
});

describe('the kit workload', () => {
  it('a browse-products stream reads the catalogue count times through the client', async () => {
    const calls: string[] = [];
    const client: WorkloadClient = {
      placeOrder: () => Promise.reject(new Error('not asked')),
      readOrder: () => Promise.reject(new Error('not asked')),
      browseProducts: (stream) => {
        calls.push(stream);
        return Promise.resolve(answer(stream, 'browse'));
      },
    };
    const records = await runWorkload(
      [{ kind: 'browse-products', id: 'catalog', everyMs: 5, count: 3 }],
      context(client),
    );
    expect(calls).toEqual(['catalog', 'catalog', 'catalog']);
    expect(records.map((record) => record.kind)).toEqual(['browse', 'browse', 'browse']);
  });

  it('a client without browseProducts cannot run one, and says so', async () => {
    const client: WorkloadClient = {
      placeOrder: () => Promise.reject(new Error('not asked')),
      readOrder: () => Promise.reject(new Error('not asked')),
    };
    await expect(
      runWorkload([{ kind: 'browse-products', id: 'catalog', everyMs: 5, count: 1 }], context(client)),
    ).rejects.toThrow("stream catalog: the kit domain's workload client has no browseProducts");
  });
});
