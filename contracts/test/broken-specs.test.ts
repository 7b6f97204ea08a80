import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContractIssue } from '../src/contract-issue.ts';
import { validateContracts } from '../src/validate.ts';
import { copyContracts, type TempContracts } from './helpers/temp-contracts.ts';

let contracts: TempContracts;

beforeEach(async () => {
  contracts = await copyContracts();
});

afterEach(async () => {
  await contracts.remove();
});

const errors = (issues: ContractIssue[]) => issues.filter((issue) => issue.severity === 'error');

describe('validateContracts on a broken copy', () => {
  it('reports a $ref to a missing schema at the referencing file and location', async () => {
    await contracts.edit('openapi/order.yaml', "order.yaml#/OrderList'", "order.yaml#/OrderListing'");
    const found = errors(await validateContracts(contracts.dir));
    expect(found).toContainEqual(
      expect.objectContaining({
        file: 'openapi/order.yaml',
        location: 'paths./orders.get.responses.200.content.application/json.schema',
        rule: 'no-unresolved-refs',
        line: expect.any(Number),
        column: expect.any(Number),
      }),
    );
  });

  it('reports a response without description at the response', async () => {
    await contracts.edit(
      'openapi/payment.yaml',
      '          description: The charge succeeded (or the stored response is replayed).\n',
      '',
    );
    const found = errors(await validateContracts(contracts.dir));
    expect(found).toContainEqual(
      expect.objectContaining({
        file: 'openapi/payment.yaml',
        location: 'paths./charges.post.responses.201',
        message: expect.stringContaining('description'),
      }),
    );
  });

  it('reports a YAML syntax error once, with the file, line and column', async () => {
    await contracts.edit('openapi/components/money.yaml', 'Currency:\n', 'Currency: [\n');
    const found = errors(await validateContracts(contracts.dir));
    const inMoney = found.filter((issue) => issue.file === 'openapi/components/money.yaml');
    expect(inMoney.length).toBeGreaterThan(0);
    expect(inMoney.every((issue) => issue.rule === 'yaml-syntax' && issue.line !== undefined)).toBe(true);
    // Specs that reference the broken file also fail, at their own $ref sites.
    expect(found.some((issue) => issue.file === 'openapi/payment.yaml' && issue.rule === 'no-unresolved-refs')).toBe(
      true,
    );
  });

  it('reports an AsyncAPI payload schema with a wrong type keyword with its path and range', async () => {
    await contracts.edit(
      'asyncapi/order-events.yaml',
      'OrderCancelledPayload:\n      type: object',
      'OrderCancelledPayload:\n      type: objekt',
    );
    const found = errors(await validateContracts(contracts.dir));
    expect(found).toContainEqual(
      expect.objectContaining({
        file: 'asyncapi/order-events.yaml',
        location: 'components.schemas.OrderCancelledPayload.type',
        line: expect.any(Number),
        message: expect.stringContaining('type'),
      }),
    );
  });

  it('reports an AsyncAPI message without example', async () => {
    await contracts.edit(
      'asyncapi/order-events.yaml',
      '      examples:\n        - name: paymentDeclined',
      '      x-examples:\n        - name: paymentDeclined',
    );
    const found = errors(await validateContracts(contracts.dir));
    expect(found).toContainEqual(
      expect.objectContaining({
        file: 'asyncapi/order-events.yaml',
        rule: 'message-example',
        message: expect.stringContaining('OrderCancelled'),
      }),
    );
  });

  it('reports an operation without operationId or any example', async () => {
    const operation = [
      '  /notifications/count:',
      '    get:',
      '      summary: Count notifications',
      '      tags: [notifications]',
      '      responses:',
      "        '200':",
      '          description: The number of notifications.',
      '          content:',
      '            application/json:',
      '              schema: { type: integer }',
      '',
    ].join('\n');
    await contracts.edit('openapi/notification.yaml', '  /health/live:\n', `${operation}  /health/live:\n`);
    const issues = await validateContracts(contracts.dir);
    const atOperation = issues.filter((issue) => issue.location.startsWith('paths./notifications/count.get'));
    expect(atOperation.map((issue) => [issue.location, issue.rule, issue.severity]).sort()).toEqual([
      ['paths./notifications/count.get', 'contracts/operation-example', 'error'],
      ['paths./notifications/count.get.operationId', 'operation-operationId', 'error'],
      [
        'paths./notifications/count.get.responses.200.content.application/json',
        'contracts/media-type-example',
        'warning',
      ],
    ]);
    expect(atOperation.every((issue) => issue.file === 'openapi/notification.yaml' && issue.line !== undefined)).toBe(
      true,
    );
  });

  it('reports an example that does not match its schema at the example', async () => {
    await contracts.edit('openapi/components/examples.yaml', 'priceCents: 3450', 'priceCents: -1');
    const found = errors(await validateContracts(contracts.dir));
    expect(found).toContainEqual(
      expect.objectContaining({
        file: 'openapi/components/examples.yaml',
        location: 'Catalog.value.items.1.priceCents',
        rule: 'no-invalid-media-type-examples',
      }),
    );
  });
});
