import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * An exclusive claim on one pact file for the lifetime of one consumer test file, so two
 * test workers can never write the same pair at once. A claim left by a dead process is taken over.
 */
export function claimPactFile(pactFile: string): { release(): void } {
  const lock = pactFileLockPath(pactFile);
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return { release: () => fs.rmSync(lock, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(fs.readFileSync(lock, 'utf8'));
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new Error(
          `${path.basename(pactFile)} is being written by another test worker (pid ${owner}); one test file per pair`,
          {
            cause: error,
          },
        );
      }
      fs.rmSync(lock, { force: true });
    }
  }
  throw new Error(`could not claim ${pactFile}`);
}

/** Where the claim on a pact file is kept (outside the repository). */
export function pactFileLockPath(pactFile: string): string {
  const key = createHash('sha1').update(path.resolve(pactFile)).digest('hex').slice(0, 16);
  return path.join(os.tmpdir(), 'harness-pact-locks', `${key}.lock`);
}

/** Claims the file, waiting while another live worker holds it (a merge takes milliseconds). */
export async function waitToClaim(pactFile: string, timeoutMs = 30_000): Promise<{ release(): void }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return claimPactFile(pactFile);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}
