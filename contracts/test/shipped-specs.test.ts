import { describe, expect, it } from 'vitest';
import { formatContractIssue } from '../src/contract-issue.ts';
import { findSpecs } from '../src/spec-files.ts';
import { validateContracts } from '../src/validate.ts';
import { contractsDir } from './helpers/temp-contracts.ts';

describe('shipped contracts', () => {
  it('validate without errors or warnings', async () => {
    const issues = await validateContracts(contractsDir);
    expect(issues.map(formatContractIssue)).toEqual([]);
  });

  it('include one OpenAPI spec per HTTP service and the order and notification events AsyncAPI specs', async () => {
    const specs = await findSpecs(contractsDir);
    expect(specs.openapi.map((spec) => spec.name)).toEqual([
      'gateway',
      'inventory',
      'notification',
      'order',
      'payment',
    ]);
    expect(specs.asyncapi.map((spec) => spec.name)).toEqual(['notification-events', 'order-events']);
  });
});
