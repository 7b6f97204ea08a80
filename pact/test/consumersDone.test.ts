import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONSUMERS_DONE_ENV, consumersDone } from '../src/testing/consumersDone.ts';

describe('the providers waiting for the consumer tests (harness contracts runs both side by side)', () => {
  it('does not wait when no harness asked it to', async () => {
    await expect(consumersDone({})).resolves.toBeUndefined();
  });

  it('waits until the file appears', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'consumers-done-')), 'done');
    let done = false;
    const waiting = consumersDone({ [CONSUMERS_DONE_ENV]: file }, { pollMs: 5 }).then(() => {
      done = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(done).toBe(false);
    fs.writeFileSync(file, '0\n');
    await waiting;
    expect(done).toBe(true);
  });

  it('gives up with a message naming the file when it never appears', async () => {
    const file = path.join(os.tmpdir(), 'consumers-done-never', 'done');
    await expect(consumersDone({ [CONSUMERS_DONE_ENV]: file }, { timeoutMs: 50, pollMs: 5 })).rejects.toThrow(
      /consumer tests did not end within 0.05 s .*consumers-done-never/,
    );
  });
});
