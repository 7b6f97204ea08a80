import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compareAsyncapi } from '../src/breaking/asyncapiDiff.ts';
import { repoLayout } from '../src/layout.ts';
import { scratchContracts, type ScratchContracts } from './support/scratchContracts.ts';

const spec = 'asyncapi/order-events.yaml';
const baseFile = path.join(repoLayout.contractsDir, spec);

let scratch: ScratchContracts | undefined;
afterEach(() => scratch?.remove());

function changedSpec(change: (yaml: string) => string): string {
  scratch = scratchContracts();
  scratch.edit(spec, change);
  return path.join(scratch.layout.contractsDir, spec);
}

const totalCentsAsString = (yaml: string) =>
  yaml.replace(
    "totalCents:\n          $ref: '../openapi/components/money.yaml#/AmountCents'",
    'totalCents:\n          type: string',
  );

describe('AsyncAPI breaking changes (@asyncapi/diff, payloads included)', () => {
  it('finds nothing in an unchanged spec', async () => {
    expect(await compareAsyncapi('order-events', baseFile, baseFile)).toMatchObject({
      status: 'compatible',
      changes: [],
    });
  });

  it('flags a payload field that changes type, naming the message', async () => {
    const result = await compareAsyncapi('order-events', baseFile, changedSpec(totalCentsAsString));
    expect(result.status).toBe('breaking');
    expect(result.changes).toContainEqual(
      expect.objectContaining({
        level: 'breaking',
        where: 'OrderConfirmed',
        text: expect.stringMatching(/totalCents\/type changed from "integer" to "string"/),
      }),
    );
  });

  it('accepts the same change when the major version is bumped', async () => {
    const head = changedSpec((yaml) => totalCentsAsString(yaml).replace('  version: 1.0.0', '  version: 2.0.0'));
    expect(await compareAsyncapi('order-events', baseFile, head)).toMatchObject({
      status: 'versioned',
      headVersion: '2.0.0',
    });
  });

  it('lets an optional payload field be added', async () => {
    const head = changedSpec((yaml) =>
      yaml.replace(
        "        totalCents:\n          $ref: '../openapi/components/money.yaml#/AmountCents'",
        "        totalCents:\n          $ref: '../openapi/components/money.yaml#/AmountCents'\n        couponCode:\n          type: string",
      ),
    );
    const result = await compareAsyncapi('order-events', baseFile, head);
    expect(result.status).toBe('compatible');
    expect(result.changes.some((change) => change.text.includes('couponCode'))).toBe(true);
  });

  it('flags a changed routing key', async () => {
    const head = changedSpec((yaml) =>
      yaml.replace('x-routing-key: order.cancelled', 'x-routing-key: orders.cancelled'),
    );
    expect(await compareAsyncapi('order-events', baseFile, head)).toMatchObject({ status: 'breaking' });
  });
});
