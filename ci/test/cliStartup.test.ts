import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const cli = path.resolve(import.meta.dirname, '../src/cli.ts');

describe('the harness CLI at start', () => {
  it("imports every command without loading Kafka's client (loaded when a run uses Kafka)", async () => {
    // Kafka's client is 1,546 modules: loaded eagerly it doubled the start of every harness command.
    const script = [
      `import { registerHooks } from 'node:module';`,
      `const resolved = [];`,
      `registerHooks({ resolve(specifier, context, next) { const result = next(specifier, context); resolved.push(result.url); return result; } });`,
      `const { commands } = await import(${JSON.stringify(cli)});`,
      `console.log(JSON.stringify({ commands: Object.keys(commands).length, modules: resolved.length, kafka: resolved.filter((url) => url.includes('/@platformatic/kafka/')).length }));`,
    ].join('\n');
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { timeout: 30_000 });
    const loaded = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number>;
    expect(loaded.commands).toBeGreaterThanOrEqual(15);
    expect(loaded.modules).toBeGreaterThan(100);
    expect(loaded.kafka).toBe(0);
  });
});
