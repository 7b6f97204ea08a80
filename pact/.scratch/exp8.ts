import { compareAsyncapi } from '../src/breaking/asyncapiDiff.ts';
const r = await compareAsyncapi('order-events', '/work/main/contracts/asyncapi/order-events.yaml', '/tmp/aa/asyncapi/order-events.yaml');
console.log(r.status, JSON.stringify(r.changes, null, 1));
