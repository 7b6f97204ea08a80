import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSqlMigrations } from '../src/db/loadSqlMigrations.ts';
import { retryUntilReady } from '../src/startup/retryUntilReady.ts';
import { capturedLogger } from './support/logCapture.ts';

describe('loadSqlMigrations', () => {
  it('reads the .sql files of a folder in name order, ids from the file names', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kit-migrations-'));
    writeFileSync(path.join(dir, '002_add_colour.sql'), 'ALTER TABLE widgets ADD colour text;');
    writeFileSync(path.join(dir, '001_widgets.sql'), 'CREATE TABLE widgets (id int);');
    writeFileSync(path.join(dir, 'README.md'), 'not a migration');
    expect(loadSqlMigrations(pathToFileURL(`${dir}/`))).toEqual([
      { id: '001_widgets', sql: 'CREATE TABLE widgets (id int);' },
      { id: '002_add_colour', sql: 'ALTER TABLE widgets ADD colour text;' },
    ]);
    expect(loadSqlMigrations(dir, { idPrefix: 'shop-' }).map((migration) => migration.id)).toEqual([
      'shop-001_widgets',
      'shop-002_add_colour',
    ]);
  });
});

describe('retryUntilReady', () => {
  it('runs a step until it succeeds, logging each failure as a warning', async () => {
    const { logger, lines } = capturedLogger('svc');
    let calls = 0;
    await retryUntilReady('database schema', logger, async () => {
      calls++;
      if (calls < 3) throw new Error('connection refused');
    });
    expect(calls).toBe(3);
    expect(lines.filter((line) => line.msg === 'database schema not ready, retrying')).toHaveLength(2);
  });

  it('gives up with the last error after the allowed attempts', async () => {
    const { logger } = capturedLogger('svc');
    let calls = 0;
    await expect(
      retryUntilReady(
        'seed',
        logger,
        async () => {
          calls++;
          throw new Error(`failure ${calls}`);
        },
        { attempts: 2 },
      ),
    ).rejects.toThrow('failure 2');
  });
});
