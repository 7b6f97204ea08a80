// Usage: node contracts/scripts/generate.ts [--contracts DIR] [--out DIR] [--check]
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generate } from '../src/generate.ts';

const { values } = parseArgs({
  options: {
    contracts: { type: 'string', default: fileURLToPath(new URL('..', import.meta.url)) },
    out: { type: 'string' },
    check: { type: 'boolean', default: false },
  },
});

const result = await generate({
  contractsDir: values.contracts,
  ...(values.out === undefined ? {} : { outDir: values.out }),
  check: values.check,
});
const show = (file: string) => relative(process.cwd(), file) || file;

if (values.check) {
  if (result.stale.length > 0) {
    console.error(`Generated files are stale (run \`npm run generate -w @harness/contracts\`):`);
    for (const file of result.stale) console.error(`  ${show(file)}`);
    process.exitCode = 1;
  } else {
    console.log('Generated files are up to date.');
  }
} else {
  for (const file of result.written) console.log(`wrote ${show(file)}`);
  if (result.written.length === 0) console.log('Generated files were already up to date.');
}
