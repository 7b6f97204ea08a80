import { describe, expect, it } from 'vitest';
import { newId } from '../src/ids.ts';

describe('newId', () => {
  it('matches the contract patterns of charge and refund ids and does not repeat', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newId('ch')));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^ch_[A-Za-z0-9]{8,64}$/);
    expect(newId('re')).toMatch(/^re_[A-Za-z0-9]{24}$/);
  });
});
