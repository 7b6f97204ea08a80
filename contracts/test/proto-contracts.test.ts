import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GetStockLevelsRequest, StockLevelServiceService } from '@harness/contracts/grpc/inventory/v1/stock_levels';
import { runBuf } from '../src/generate/buf-tool.ts';
import { contractsDir, tempDir } from './helpers/temp-contracts.ts';

const protoDir = join(contractsDir, 'proto');

describe('the gRPC contracts (contracts/proto)', () => {
  it('pass buf lint', async () => {
    const run = await runBuf(['lint', protoDir]);
    expect(run.stdout + run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('buf lint names a method that breaks the naming rules', async () => {
    const dir = await tempDir('proto-lint');
    await cp(protoDir, dir, { recursive: true });
    const file = join(dir, 'harness/inventory/v1/stock_levels.proto');
    await writeFile(
      file,
      'syntax = "proto3";\npackage harness.inventory.v1;\nservice StockLevelService {\n  rpc get_levels(GetStockLevelsRequest) returns (GetStockLevelsRequest);\n}\nmessage GetStockLevelsRequest {}\n',
    );
    const run = await runBuf(['lint', dir, '--error-format', 'json']);
    expect(run.code).not.toBe(0);
    expect(run.stdout).toContain('get_levels');
  });

  it('generate a typed service whose codecs round-trip a request', () => {
    const { getStockLevels } = StockLevelServiceService;
    expect(getStockLevels.path).toBe('/harness.inventory.v1.StockLevelService/GetStockLevels');
    const bytes = getStockLevels.requestSerialize({ productIds: ['sku-1', 'sku-2'] });
    expect(GetStockLevelsRequest.decode(bytes)).toEqual({ productIds: ['sku-1', 'sku-2'] });
  });
});
