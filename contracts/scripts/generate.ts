// Usage: node contracts/scripts/generate.ts [--contracts DIR] [--out DIR] [--check]
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatContractIssue, hasErrors } from '../src/contract-issue.ts';
import { scriptArgs } from './cliArgs.ts';

const values = scriptArgs('generate', 'node contracts/scripts/generate.ts [--contracts DIR] [--out DIR] [--check]', {
  contracts: { type: 'string', default: fileURLToPath(new URL('..', import.meta.url)) },
  out: { type: 'string' },
  check: { type: 'boolean', default: false },
});

// The generators and validators (openapi-typescript, the AsyncAPI parser, Spectral) load after the
// arguments are read: a usage error answers at once instead of after 2 s of imports.
const { generate } = await import('../src/generate.ts');
const { validateContracts } = await import('../src/validate.ts');

// A spec that does not parse or is invalid is named with its file and location, never a stack trace.
const issues = await validateContracts(values.contracts);
if (hasErrors(issues)) {
  for (const issue of issues.filter((one) => one.severity === 'error')) console.error(formatContractIssue(issue));
  console.error('generate: nothing written; fix the spec(s) above first');
  process.exit(1);
}

let result: Awaited<ReturnType<typeof generate>>;
try {
  result = await generate({
    contractsDir: values.contracts,
    ...(values.out === undefined ? {} : { outDir: values.out }),
    check: values.check,
  });
} catch (error) {
  console.error(`generate: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
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
