import { describe, expect, it } from 'vitest';
import { newClusterId } from '../src/local/kafka.ts';

describe('newClusterId', () => {
  it('is 22 characters of URL-safe base64 (16 bytes) and never starts with "-"', () => {
    // `kafka-storage format -t <id>` reads an id starting with "-" as an option and fails; one
    // random id in 64 starts so, so 4000 draws would meet about 60 of them.
    const ids = Array.from({ length: 4_000 }, () => newClusterId());
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
