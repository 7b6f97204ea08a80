// Usage: node contracts/scripts/validate.ts [--contracts DIR]   (exits 1 when a spec has an error)
import { fileURLToPath } from 'node:url';
import { formatContractIssue, hasErrors } from '../src/contract-issue.ts';
import { scriptArgs } from './cliArgs.ts';

const values = scriptArgs('validate', 'node contracts/scripts/validate.ts [--contracts DIR]', {
  contracts: { type: 'string', default: fileURLToPath(new URL('..', import.meta.url)) },
});

// The validators (the AsyncAPI parser, Spectral) load after the arguments are read.
const { validateContracts } = await import('../src/validate.ts');
const issues = await validateContracts(values.contracts);
for (const issue of issues) console.log(formatContractIssue(issue));
const errors = issues.filter((issue) => issue.severity === 'error').length;
console.log(`${errors} error(s), ${issues.length - errors} warning(s)`);
if (hasErrors(issues)) process.exitCode = 1;
