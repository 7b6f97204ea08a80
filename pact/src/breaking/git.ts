import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs git in a repository; resolves stdout, or undefined when git fails. */
export async function git(
  cwd: string,
  args: readonly string[],
  maxBuffer = 64 * 1024 * 1024,
): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', [...args], { cwd, maxBuffer, encoding: 'utf8' });
    return stdout;
  } catch {
    return undefined;
  }
}

/** Like git() but keeps stdout as bytes (file contents at a ref). */
export async function gitBytes(cwd: string, args: readonly string[]): Promise<Buffer | undefined> {
  try {
    const { stdout } = await run('git', [...args], { cwd, maxBuffer: 64 * 1024 * 1024, encoding: 'buffer' });
    return stdout;
  } catch {
    return undefined;
  }
}
