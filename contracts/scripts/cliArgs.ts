import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * The scripts' arguments, or a one-line error and exit 2 (never a stack trace); the contracts
 * folder must exist and hold an `openapi/` or `asyncapi/` folder.
 */
export function scriptArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  script: string,
  usage: string,
  options: T,
): ReturnType<typeof parseArgs<{ options: T }>>['values'] {
  let values: ReturnType<typeof parseArgs<{ options: T }>>['values'];
  try {
    ({ values } = parseArgs({ options }));
  } catch (error) {
    console.error(`${script}: ${(error as Error).message}\nusage: ${usage}`);
    process.exit(2);
  }
  const dir = (values as { contracts?: unknown }).contracts;
  if (typeof dir === 'string' && !['openapi', 'asyncapi'].some((part) => fs.existsSync(path.join(dir, part)))) {
    console.error(`${script}: --contracts ${dir}: no openapi/ or asyncapi/ folder there`);
    process.exit(2);
  }
  return values;
}
