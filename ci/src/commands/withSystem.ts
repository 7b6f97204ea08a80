import { systemIsRunning } from '../load/target.ts';
import { CliError } from '../output.ts';
import { stopRun } from './down.ts';
import { startRun } from './up.ts';

/**
 * Runs `work` on the running system. With `start` and no system running, starts one first
 * (`harness up`, with the config of this invocation) and stops it after, also on failure.
 */
export async function withSystem<T>(name: string, start: boolean, work: () => Promise<T>): Promise<T> {
  let startedHere = false;
  if (start && !systemIsRunning()) {
    console.log(`no running system; starting ${name} (\`harness up\`)`);
    if (!(await startRun())) throw new CliError('could not start the system');
    startedHere = true;
  }
  try {
    return await work();
  } finally {
    if (startedHere) await stopRun();
  }
}
