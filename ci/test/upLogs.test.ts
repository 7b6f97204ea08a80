import os from 'node:os';
import path from 'node:path';
import { stateDir } from '@harness/runtime';
import { describe, expect, it } from 'vitest';
import { withKeptLogs } from '../src/commands/up.ts';

describe('harness up failure message', () => {
  it('points at the kept logs, not the removed temp run dir', () => {
    const runLog = path.join(os.tmpdir(), 'harness-run-AbC123', 'logs', 'gateway.log');
    const message = withKeptLogs(`service gateway: gateway exited (code 1); see ${runLog}`);
    expect(message).toBe(
      `service gateway: gateway exited (code 1); see ${path.join(stateDir(), 'logs', 'last', 'gateway.log')}`,
    );
    expect(withKeptLogs('port 5432 taken')).toBe('port 5432 taken');
  });
});
