import { checkLinkConformance, pactLinks, repoLayout } from '../src/index.ts';
import { compareAsyncapi } from '../src/breaking/asyncapiDiff.ts';
for (const link of pactLinks()) { const t = performance.now(); await checkLinkConformance(link, repoLayout); console.log(link.id, Math.round(performance.now() - t)); }
let t = performance.now();
await compareAsyncapi('x', '/work/main/contracts/asyncapi/order-events.yaml', '/work/main/contracts/asyncapi/order-events.yaml');
console.log('asyncapi', Math.round(performance.now() - t));
