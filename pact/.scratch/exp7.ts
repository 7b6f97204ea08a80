import '../src/pactEnvironment.ts';
import { Verifier } from '@pact-foundation/pact';
import http from 'node:http';
const server = http.createServer((req, res) => { let b=''; req.on('data', c => b += c); req.on('end', () => { if (req.url?.includes('release')) console.log(req.method, req.url, JSON.stringify(req.headers), JSON.stringify(b)); res.statusCode = 404; res.end(); }); });
await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
const port = (server.address() as any).port;
try { await new Verifier({ provider: 'inventory', providerBaseUrl: `http://127.0.0.1:${port}`, pactUrls: ['/work/main/contracts/pacts/order-inventory.json'], logLevel: 'error', stateHandlers: {} }).verifyProvider(); } catch {}
server.close();
