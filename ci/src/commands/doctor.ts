import type { Command } from '../cli.ts';
import { green, parseOptions, red, yellow } from '../output.ts';
import { checkTools } from '../toolchain.ts';

const usage = 'harness doctor [--json]';

export const doctor: Command = {
  summary: 'check every tool the harness needs; print how to install what is missing',
  usage,
  async run(args) {
    const { values } = parseOptions(args, { json: { type: 'boolean' } }, usage);
    const checks = await checkTools();
    if (values.json) {
      console.log(JSON.stringify(checks, null, 2));
    } else {
      for (const check of checks) {
        const mark = !check.problem ? green('ok  ') : check.required ? red('MISS') : yellow('opt ');
        console.log(`${mark} ${check.name.padEnd(17)} ${check.problem ? check.problem : (check.version ?? '')}`);
        if (check.problem) console.log(`       ${check.purpose}; install: ${check.install}`);
      }
    }
    const missing = checks.filter((check) => check.required && check.problem);
    if (missing.length > 0 && !values.json) {
      console.error(
        red(`\n${missing.length} required tool(s) missing or too old: ${missing.map((c) => c.name).join(', ')}`),
      );
    }
    return missing.length > 0 ? 1 : 0;
  },
};
