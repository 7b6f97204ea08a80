import type { Command } from '../command.ts';
import { commandConfig } from '../commandConfig.ts';
import { green, parseOptions, red, yellow } from '../output.ts';
import { checkTools, type ToolCheck } from '../toolchain.ts';

const usage = 'harness doctor [--config FILE] [--json]';

export const doctor: Command = {
  summary: 'check every tool the harness needs and the config; print how to fix what is missing',
  usage,
  async run(args) {
    const { values } = parseOptions(args, { json: { type: 'boolean' } }, usage);
    const checks = [...(await checkTools()), await checkConfig()];
    if (values.json) {
      console.log(JSON.stringify(checks, null, 2));
    } else {
      for (const check of checks) {
        const mark = !check.problem ? green('ok  ') : check.required ? red('MISS') : yellow('opt ');
        console.log(`${mark} ${check.name.padEnd(17)} ${check.problem ? check.problem : (check.version ?? '')}`);
        const verb = check.name === 'config' ? 'fix' : 'install';
        if (check.problem) console.log(`       ${check.purpose}; ${verb}: ${check.install}`);
      }
    }
    const missing = checks.filter((check) => check.required && check.problem);
    if (missing.length > 0 && !values.json) {
      console.error(red(`\n${missing.length} required check(s) failed: ${missing.map((c) => c.name).join(', ')}`));
    }
    return missing.length > 0 ? 1 : 0;
  },
};

/** The config every command would use, loaded and validated like `up` does. */
async function checkConfig(): Promise<ToolCheck> {
  const check = {
    name: 'config',
    purpose: 'harness.config.ts describes the system every command works on',
    required: true,
    install: 'correct the config (see "Config reference" in the README), or write one with `harness init`',
  };
  try {
    const config = await commandConfig();
    const { services, links } = config.topology;
    return {
      ...check,
      path: config.file,
      version: `${config.file}: ${config.name}, ${services.length} services, ${links.length} links`,
    };
  } catch (error) {
    return { ...check, problem: (error as Error).message.replace(/\n/g, '\n       ') };
  }
}
