import { chaos } from '../../ci/src/commands/chaos.ts';
process.exitCode = await chaos.run(process.argv.slice(2));
