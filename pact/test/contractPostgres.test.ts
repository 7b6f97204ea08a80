import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { awaitContractPostgres } from '../src/testing/contractPostgres.ts';

const scratch = (): string => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'contract-postgres-')), 'postgres.json');

describe("the contract runs waiting for the stage's PostgreSQL (it starts while they boot)", () => {
  it('returns the URL once the harness has written it', async () => {
    const file = scratch();
    setTimeout(
      () => fs.writeFileSync(file, JSON.stringify({ url: 'postgres://postgres@127.0.0.1:5999/postgres' })),
      40,
    );
    await expect(awaitContractPostgres(file, { pollMs: 5 })).resolves.toBe(
      'postgres://postgres@127.0.0.1:5999/postgres',
    );
  });

  it("fails with the harness's reason when PostgreSQL would not start", async () => {
    const file = scratch();
    fs.writeFileSync(file, JSON.stringify({ error: 'pg_ctl: could not start server' }));
    await expect(awaitContractPostgres(file)).rejects.toThrow(
      "the contract stage's PostgreSQL did not start: pg_ctl: could not start server",
    );
  });

  it('gives up with a message naming the file when nothing is written', async () => {
    const file = scratch();
    await expect(awaitContractPostgres(file, { timeoutMs: 50, pollMs: 5 })).rejects.toThrow(
      /no PostgreSQL for the contract tests within 0.05 s .*postgres\.json never appeared/,
    );
  });
});
