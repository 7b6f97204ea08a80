import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claimPactFile, pactFileLockPath } from '../src/consumer/pactFileLock.ts';
import { publishPactFile } from '../src/consumer/publishPactFile.ts';
import { interactionsOfKind, ownsInteraction, PactFileError, pactOfKind, readPactFile } from '../src/pacts/pactFile.ts';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pact-files-test-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const pact = (descriptions: string[]) => ({
  consumer: { name: 'gateway' },
  provider: { name: 'order' },
  interactions: descriptions.map((description) => ({ type: 'Synchronous/HTTP', description })),
  metadata: { pactSpecification: { version: '4.0' } },
});

describe('pact files', () => {
  it('refuses a second writer of the same pact file while the first is alive', () => {
    const file = path.join(tempDir(), 'gateway-order.json');
    const claim = claimPactFile(file);
    // Make the claim look like another live worker's (our parent process).
    fs.writeFileSync(pactFileLockPath(file), String(process.ppid));
    expect(() => claimPactFile(file)).toThrow(/being written by another test worker/);
    claim.release();
    expect(() => claimPactFile(file).release()).not.toThrow();
  });

  it('takes over a claim left by a process that is gone', () => {
    const file = path.join(tempDir(), 'order-payment.json');
    fs.mkdirSync(path.dirname(pactFileLockPath(file)), { recursive: true });
    fs.writeFileSync(pactFileLockPath(file), '2147483646');
    const claim = claimPactFile(file);
    expect(fs.readFileSync(pactFileLockPath(file), 'utf8')).toBe(String(process.pid));
    claim.release();
    expect(fs.existsSync(pactFileLockPath(file))).toBe(false);
  });

  it('replaces the pact atomically with its interactions sorted', async () => {
    const dir = tempDir();
    const source = path.join(dir, 'written.json');
    const target = path.join(dir, 'pacts', 'gateway-order.json');
    fs.writeFileSync(source, JSON.stringify(pact(['placeOrder: b', 'getOrder: a'])));
    fs.mkdirSync(path.dirname(target));
    fs.writeFileSync(target, JSON.stringify(pact(['stale: interaction'])));
    await publishPactFile(source, target);
    expect(readPactFile(target).interactions.map((i) => i.description)).toEqual(['getOrder: a', 'placeOrder: b']);
    expect(fs.readdirSync(path.dirname(target))).toEqual(['gateway-order.json']);
  });

  it('keeps the other link’s interactions when an HTTP link and a message link of one pair share the file', async () => {
    const dir = tempDir();
    const target = path.join(dir, 'gateway-order.json');
    const mixed = pact(['placeOrder: old']);
    mixed.interactions.push({ type: 'Asynchronous/Messages', description: 'OrderConfirmed: kept' });
    fs.writeFileSync(target, JSON.stringify(mixed));
    const source = path.join(dir, 'written.json');
    fs.writeFileSync(source, JSON.stringify(pact(['placeOrder: new'])));
    // The HTTP link (L2) publishes: its old HTTP interactions go, the message link's (L9) stay.
    await publishPactFile(source, target, (interaction) => interaction.type !== 'Synchronous/HTTP');
    const merged = readPactFile(target);
    expect(merged.interactions.map((i) => [i.type, i.description])).toEqual([
      ['Asynchronous/Messages', 'OrderConfirmed: kept'],
      ['Synchronous/HTTP', 'placeOrder: new'],
    ]);
    expect(interactionsOfKind(merged, 'http').map((i) => i.description)).toEqual(['placeOrder: new']);
    expect(interactionsOfKind(merged, 'amqp').map((i) => i.description)).toEqual(['OrderConfirmed: kept']);
    expect(pactOfKind(merged, 'amqp').interactions).toHaveLength(1);
    // A file with one kind only is passed through as it is.
    const single = readPactFile(source);
    expect(pactOfKind(single, 'http')).toBe(single);
    // The two links claim their kind of the file apart: neither blocks the other.
    const http = claimPactFile(`${target}#http`);
    expect(() => claimPactFile(`${target}#messages`).release()).not.toThrow();
    http.release();
  });

  it('gives a GraphQL link the GraphQL requests of a file it shares with an HTTP link, and the HTTP link the rest', async () => {
    const dir = tempDir();
    const target = path.join(dir, 'storefront-gateway.json');
    const graphqlRequest = (description: string) => ({
      type: 'Synchronous/HTTP',
      description,
      request: { method: 'POST', path: '/api/graphql', body: { content: { query: 'query OrderView { x }' } } },
      response: { status: 200 },
    });
    const rest = (description: string) => ({
      type: 'Synchronous/HTTP',
      description,
      request: { method: 'GET', path: '/api/v1/products' },
      response: { status: 200 },
    });
    fs.writeFileSync(
      target,
      JSON.stringify({ ...pact([]), interactions: [rest('listProducts: old'), graphqlRequest('OrderView: kept')] }),
    );
    const source = path.join(dir, 'written.json');
    fs.writeFileSync(source, JSON.stringify({ ...pact([]), interactions: [rest('listProducts: new')] }));
    // L1 (REST) publishes: its old interactions go, L10's GraphQL requests stay.
    await publishPactFile(source, target, (interaction) => !ownsInteraction('http', interaction));
    const merged = readPactFile(target);
    expect(interactionsOfKind(merged, 'http').map((i) => i.description)).toEqual(['listProducts: new']);
    expect(interactionsOfKind(merged, 'graphql').map((i) => i.description)).toEqual(['OrderView: kept']);
    expect(pactOfKind(merged, 'graphql').interactions).toHaveLength(1);
  });

  it('reports missing, malformed and non-V4 pact files', () => {
    const dir = tempDir();
    expect(() => readPactFile(path.join(dir, 'none.json'))).toThrow(PactFileError);
    fs.writeFileSync(path.join(dir, 'bad.json'), '{');
    expect(() => readPactFile(path.join(dir, 'bad.json'))).toThrow(/not valid JSON/);
    fs.writeFileSync(
      path.join(dir, 'v3.json'),
      JSON.stringify({ ...pact(['a: b']), metadata: { pactSpecification: { version: '3.0.0' } } }),
    );
    expect(() => readPactFile(path.join(dir, 'v3.json'))).toThrow(/Pact specification 4/);
  });
});
