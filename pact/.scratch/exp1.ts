import { PactV4, MatchersV3 } from '@pact-foundation/pact';
import { SwaggerMockValidatorFactory } from '@pactflow/swagger-mock-validator';
import fs from 'node:fs';
const { like, eachLike, integer, regex, uuid } = MatchersV3;
const dir = '/tmp/pact-exp';
fs.rmSync(dir, { recursive: true, force: true });
const pact = new PactV4({ consumer: 'gateway', provider: 'inventory', dir, logLevel: 'warn' });
await pact.addInteraction()
  .given('products exist', { productId: 'espresso-1kg' })
  .uponReceiving('listProducts: the catalog')
  .withRequest('GET', '/products', (b) => b.headers({ 'X-Service-Token': like('tok') }))
  .willRespondWith(200, (b) => b.jsonBody({ items: eachLike({ id: regex('^[a-z0-9][a-z0-9-]{1,63}$', 'espresso-1kg'), sku: 'COF-ESP-1000', name: like('Espresso'), description: like('d'), priceCents: integer(1899), currency: 'EUR', available: integer(5), extra: 'x' }) }))
  .executeTest(async (mock) => {
    const r = await fetch(mock.url + '/products', { headers: { 'X-Service-Token': 'tok' } });
    console.log(r.status, await r.text());
  });
const file = `${dir}/gateway-inventory.json`;
console.log(fs.readFileSync(file, 'utf8').slice(0, 3000));
const v = SwaggerMockValidatorFactory.create();
const out = await v.validate({ specPathOrUrl: '/work/main/contracts/generated/openapi/inventory.bundled.json', mockPathOrUrl: file });
console.log(JSON.stringify(out, null, 1).slice(0, 3000));
