import fs from 'node:fs';
import { SwaggerMockValidatorFactory } from '@pactflow/swagger-mock-validator';
const spec = JSON.parse(fs.readFileSync('/work/main/contracts/generated/openapi/gateway.bundled.json', 'utf8'));
spec.servers = [{ url: 'http://localhost:8080/api/v1' }];
fs.writeFileSync('/tmp/gw.json', JSON.stringify(spec));
const out = await SwaggerMockValidatorFactory.create().validate({ specPathOrUrl: '/tmp/gw.json', mockPathOrUrl: '/work/main/contracts/pacts/storefront-gateway.json' });
console.log(JSON.stringify(out.errors.map(e => e.message), null, 1), out.warnings.length);
