// The entry of the packed CLI (`npm pack` of @harness/ci, see ci/pack/build.ts): it runs in a
// project that installed the harness, so runs keep their state and reports in that project, and
// `up` starts its supervisor through this same file.
import { fileURLToPath } from 'node:url';

process.env.HARNESS_CLI_ENTRY ||= fileURLToPath(import.meta.url);
process.env.HARNESS_PROJECT_DIR ||= process.cwd();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
