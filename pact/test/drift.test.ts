import fs from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pactLink } from '../src/links.ts';
import { verifyProviderLinks } from '../src/verify/verifyProviderLinks.ts';
import { inventoryStates } from '../providers/states/inventoryStates.ts';
import { providerServiceToken, type RunningApp } from '../providers/support/runningApp.ts';
import { startInventory } from '../providers/support/services.ts';
import { scratchContracts, type ScratchContracts } from './support/scratchContracts.ts';
import { redCells, stageOnScratch } from './support/stageOnScratch.ts';

// Each drift is applied to a scratch copy of the contracts (and, for the provider side, to what a
// real provider answers) and must turn the stage red where it matters — never on the repository.
let scratch: ScratchContracts;
afterEach(() => scratch?.remove());

let inventory: RunningApp;
const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-drift-reports-'));
beforeAll(async () => {
  inventory = await startInventory();
});
afterAll(async () => {
  await inventory?.stop();
  fs.rmSync(reportDir, { recursive: true, force: true });
});

/** Verifies the scratch copy's inventory pacts (L3, L4) against the real inventory app, or `baseUrl`. */
const verifyInventory = (baseUrl = inventory.url) =>
  verifyProviderLinks({
    provider: 'inventory',
    providerBaseUrl: baseUrl,
    stateHandlers: inventoryStates(inventory),
    requestHeaders: { 'X-Service-Token': providerServiceToken },
    links: [pactLink('L3'), pactLink('L4')],
    layout: scratch.layout,
    reportDir,
    env: {},
  });

/** Inventory as it would answer after renaming `priceCents` to `price` in its responses. */
async function inventoryRenamingPriceCents(): Promise<Server> {
  const server = createServer((incoming, outgoing) => {
    const forward = httpRequest(
      `${inventory.url}${incoming.url ?? '/'}`,
      { method: incoming.method, headers: incoming.headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8').replaceAll('"priceCents":', '"price":');
          const headers = { ...answer.headers, 'content-length': String(Buffer.byteLength(body)) };
          outgoing.writeHead(answer.statusCode ?? 500, headers).end(body);
        });
      },
    );
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe('drift the contract stage catches', () => {
  it('is green on an untouched copy (the drifts below are what turns it red)', async () => {
    scratch = scratchContracts();
    expect(redCells(await stageOnScratch(scratch))).toEqual([]);
    expect(await verifyInventory()).toMatchObject({ ok: true });
  });

  it('a provider renames a response field a consumer uses: verification fails for both consumers', async () => {
    scratch = scratchContracts();
    const renaming = await inventoryRenamingPriceCents();
    try {
      const report = await verifyInventory(`http://127.0.0.1:${(renaming.address() as AddressInfo).port}`);
      expect(report.ok).toBe(false);
      expect(report.links.L3?.problems).toContain('failed: listProducts: the catalog');
      expect(report.links.L4?.problems).toContain('failed: listProducts: the catalog for pricing');
      const matrix = await stageOnScratch(scratch, new Map([['inventory', report]]));
      expect(redCells(matrix)).toEqual(['L3 providerVerified', 'L4 providerVerified']);
    } finally {
      await new Promise<void>((resolve) => renaming.close(() => resolve()));
    }
  });

  it('a provider renames the field in its spec too: the pacts stop matching and the gate fails', async () => {
    scratch = scratchContracts();
    scratch.edit('openapi/components/product.yaml', (yaml) =>
      yaml
        .replace(
          'required: [id, sku, name, description, priceCents, currency, available]',
          'required: [id, sku, name, description, price, currency, available]',
        )
        .replace('    priceCents:\n', '    price:\n'),
    );
    await scratch.regenerate();
    const red = redCells(await stageOnScratch(scratch));
    expect(red).toEqual(expect.arrayContaining(['L1 specConformant', 'L3 specConformant', 'L4 specConformant']));
    expect(red).toEqual(
      expect.arrayContaining([
        'L1 noUnversionedBreakingChange',
        'L3 noUnversionedBreakingChange',
        'L4 noUnversionedBreakingChange',
      ]),
    );
  });

  it('a consumer expects a field the provider never sends: the spec check and the verification fail', async () => {
    scratch = scratchContracts();
    scratch.editJson('pacts/gateway-inventory.json', (pact) => {
      const interactions = pact['interactions'] as Array<{
        description: string;
        response: { body: { content: { items: Array<Record<string, unknown>> } } };
      }>;
      const list = interactions.find((interaction) => interaction.description === 'listProducts: the catalog');
      list!.response.body.content.items[0]!['weightGrams'] = 1000;
    });
    const report = await verifyInventory();
    expect(report.links.L3).toMatchObject({ ok: false, problems: ['failed: listProducts: the catalog'] });
    const matrix = await stageOnScratch(scratch, new Map([['inventory', report]]));
    expect(redCells(matrix)).toEqual(['L3 providerVerified', 'L3 specConformant']);
    expect(matrix.rows.find((row) => row.id === 'L3')?.cells.specConformant.detail).toMatch(/weightGrams/);
  });

  it('an event payload field changes type against AsyncAPI: the message pacts and the gate fail', async () => {
    scratch = scratchContracts();
    scratch.edit('asyncapi/order-events.yaml', (yaml) =>
      yaml.replace(
        "        totalCents:\n          $ref: '../openapi/components/money.yaml#/AmountCents'",
        '        totalCents:\n          type: string',
      ),
    );
    await scratch.regenerate();
    const matrix = await stageOnScratch(scratch);
    expect(redCells(matrix)).toEqual([
      'L6 specConformant',
      'L6 noUnversionedBreakingChange',
      'L7 noUnversionedBreakingChange',
      'L9 specConformant',
      'L9 noUnversionedBreakingChange',
    ]);
    expect(matrix.rows.find((row) => row.id === 'L6')?.cells.specConformant.detail).toMatch(
      /\/totalCents must be string/,
    );
  });

  it('a spec removes an operation a pact uses: the pact names a missing operation and the gate fails', async () => {
    scratch = scratchContracts();
    scratch.edit('openapi/order.yaml', (yaml) =>
      yaml.replace(/ {2}\/orders\/\{orderId\}:\n[\s\S]*?(?= {2}\/health\/live:)/, ''),
    );
    await scratch.regenerate();
    const matrix = await stageOnScratch(scratch);
    expect(redCells(matrix)).toEqual(['L2 specConformant', 'L2 noUnversionedBreakingChange']);
    const l2 = matrix.rows.find((row) => row.id === 'L2');
    expect(l2?.cells.specConformant.detail).toMatch(/names operation getOrder, which .* does not define/);
    expect(l2?.cells.noUnversionedBreakingChange.detail).toMatch(/api path removed/);
  });
});
