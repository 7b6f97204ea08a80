import { Parser } from '@asyncapi/parser';
import { diff } from '@asyncapi/diff';
import fs from 'node:fs';
const parser = new Parser();
async function load(f: string) {
  const t0 = Date.now();
  const { document, diagnostics } = await parser.parse(fs.readFileSync(f, 'utf8'), { source: f });
  console.log('parse ms', Date.now() - t0, diagnostics.filter(d => d.severity === 0).length);
  return document!.json();
}
const a = await load('/work/main/contracts/asyncapi/order-events.yaml');
const b = await load('/tmp/aa/asyncapi/order-events.yaml');
const out = diff(a, b, { outputType: 'json' });
console.log(JSON.stringify(out.getOutput(), null, 1).slice(0, 4000));
