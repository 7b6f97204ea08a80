import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../src/generate.ts';
import { contractsDir } from './helpers/temp-contracts.ts';

describe('committed generated files', () => {
  it('match what the generator produces from the specs (run `npm run generate` if not)', async () => {
    const result = await generate({ contractsDir, check: true });
    expect(result.stale.map((file) => relative(contractsDir, file))).toEqual([]);
    expect(result.written).toEqual([]);
  });
});
