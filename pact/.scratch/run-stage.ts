import { contracts } from '../../ci/src/commands/contracts.ts';
process.exitCode = await contracts.run(process.argv.slice(2));
