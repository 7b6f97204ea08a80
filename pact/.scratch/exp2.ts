import { Verifier } from '@pact-foundation/pact';
import http from 'node:http';
const server = http.createServer((req, res) => { res.setHeader('content-type','application/json'); res.end(JSON.stringify({ items: [{ id: 'espresso-1kg', sku: 'COF-ESP-1000', name: 'E', description: '', priceCents: 1, currency: 'EUR', available: 2, extra: 'y' }] })); });
await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
const port = (server.address() as any).port;
try {
  const out = await new Verifier({ provider: 'inventory', providerBaseUrl: `http://127.0.0.1:${port}`, pactUrls: ['/tmp/pact-exp/gateway-inventory.json'], logLevel: 'warn',
    stateHandlers: { 'products exist': async (p) => { console.log('state', p); throw new Error('boom'); } } }).verifyProvider();
  console.log('RESULT', out);
} catch (e) { console.log('FAILED', String(e).slice(0, 2000)); }
server.close();
