import { describe, expect, it } from 'vitest';
import { createSimulatedPsp } from '../src/psp/simulatedPsp.ts';

describe('simulated PSP', () => {
  const psp = createSimulatedPsp({ slowDelayMs: 50 });

  it('approves tok_approve and declines tok_decline and unknown tokens', async () => {
    expect(await psp.authorize('tok_approve')).toEqual({ kind: 'approved' });
    expect((await psp.authorize('tok_decline')).kind).toBe('declined');
    expect((await psp.authorize('tok_whatever')).kind).toBe('declined');
  });

  it('approves tok_slow only after the configured delay', async () => {
    const started = performance.now();
    expect(await psp.authorize('tok_slow')).toEqual({ kind: 'approved' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('gives up a slow authorisation when the signal aborts', async () => {
    const slow = createSimulatedPsp({ slowDelayMs: 10_000 });
    const controller = new AbortController();
    const pending = slow.authorize('tok_slow', controller.signal);
    controller.abort();
    await expect(pending).rejects.toThrow(/abort/i);
  });
});
