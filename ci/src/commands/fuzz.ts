import path from 'node:path';
import type { Command } from '../command.ts';
import { commandConfig } from '../commandConfig.ts';
import { runFuzz, SCHEMATHESIS_VERSION } from '../fuzz/runFuzz.ts';
import { CliError, green, parseOptions, red } from '../output.ts';
import { withSystem } from './withSystem.ts';

const usage = [
  'harness fuzz [--config FILE] [--service NAME,...] [--max-examples N] [--seed N] [--reports-dir DIR] [--start] [--verbose]',
  '',
  `Property-based API fuzzing with Schemathesis ${SCHEMATHESIS_VERSION}: against the OpenAPI spec of every service`,
  'of the running system that has one, every check (no 5xx, status codes, content types, response',
  'schemas and headers, valid data accepted, invalid data rejected, 405 for undeclared methods,',
  'ignored auth, use after free, …) and every phase (examples, coverage, fuzzing, stateful),',
  "with the config's `fuzz` settings (max examples, auth headers, business refusals of valid",
  'requests). Writes reports/junit/fuzz-<service>.xml (another system: reports/systems/<name>/fuzz/);',
  'exits 1 when any service has a failure. --start starts the system first and stops it after.',
].join('\n');

function positiveInt(raw: string | undefined, flag: string): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new CliError(`${flag} must be a positive whole number, got "${raw}"`, 2);
  return value;
}

export const fuzz: Command = {
  summary: 'property-based API fuzzing of every service with Schemathesis (all checks, stateful phase)',
  usage,
  async run(args) {
    const { values } = parseOptions(
      args,
      {
        service: { type: 'string' },
        'max-examples': { type: 'string' },
        seed: { type: 'string' },
        'reports-dir': { type: 'string' },
        start: { type: 'boolean' },
        verbose: { type: 'boolean' },
      },
      usage,
    );
    const config = await commandConfig();
    const maxExamples = positiveInt(values['max-examples'], '--max-examples');
    const seed = positiveInt(values.seed, '--seed');
    return withSystem(config.name, values.start === true, async () => {
      const results = await runFuzz(config, {
        echo: values.verbose === true,
        ...(values.service === undefined ? {} : { services: values.service.split(',').map((s) => s.trim()) }),
        ...(maxExamples === undefined ? {} : { maxExamples }),
        ...(seed === undefined ? {} : { seed }),
        ...(values['reports-dir'] === undefined ? {} : { reportsDir: path.resolve(values['reports-dir']) }),
      });
      const failed = results.filter((result) => result.exitCode !== 0).map((result) => result.service);
      if (failed.length === 0) console.log(green(`fuzz: ${results.length} services, no failure`));
      else console.error(red(`fuzz: failures on ${failed.join(', ')}`));
      return failed.length === 0 ? 0 : 1;
    });
  },
};
