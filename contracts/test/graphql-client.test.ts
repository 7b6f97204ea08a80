import { join, relative } from 'node:path';
import type { ResultOf, VariablesOf } from '@graphql-typed-document-node/core';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import type { OrderViewDocument, PlaceOrderDocument } from '@harness/contracts/graphql/gateway';
import { generate } from '../src/generate.ts';
import { contractsDir, copyContracts, type TempContracts } from './helpers/temp-contracts.ts';

let copy: TempContracts;
beforeEach(async () => {
  copy = await copyContracts();
});
afterEach(() => copy.remove());

describe('GraphQL client generated from the SDL and the operations', () => {
  it('types each operation: its result and its variables', () => {
    type OrderView = NonNullable<ResultOf<typeof OrderViewDocument>['order']>;
    expectTypeOf<OrderView['order']['status']>().toEqualTypeOf<'PENDING' | 'CONFIRMED' | 'CANCELLED'>();
    expectTypeOf<OrderView['notifications']>().toEqualTypeOf<
      | {
          id: string;
          orderId: string;
          eventId: string;
          kind: 'ORDER_CONFIRMED' | 'ORDER_CANCELLED';
          channel: 'email';
          recipient: string;
          subject: string;
          sentAt: string;
        }[]
      | null
    >();
    expectTypeOf<VariablesOf<typeof PlaceOrderDocument>['idempotencyKey']>().toEqualTypeOf<string>();
  });

  it('refuses an operation asking for a field the SDL does not have, naming it', async () => {
    await copy.edit('graphql/operations/orderView.graphql', '    stale\n', '    stale\n    secretCost\n');
    await expect(generate({ contractsDir: copy.dir, check: true })).rejects.toThrow(/secretCost/);
  });

  it('reports the committed client stale when an operation changes (the staleness gate)', async () => {
    await copy.edit('graphql/operations/orderView.graphql', '    lagSeconds\n', '');
    const result = await generate({ contractsDir: copy.dir, outDir: join(contractsDir, 'generated'), check: true });
    expect(result.stale.map((file) => relative(contractsDir, file))).toContain('generated/graphql/gateway.ts');
  });
});
