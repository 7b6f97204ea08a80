import { isAlive, ownsProcess, readRunState, reapStaleRun, sleep } from '@harness/runtime';
import type { Command } from '../command.ts';
import { green, parseOptions } from '../output.ts';

const usage = 'harness down [--timeout SECONDS]';

export const down: Command = {
  summary: 'stop everything `harness up` started; nothing is left running',
  usage,
  async run(args) {
    const { values } = parseOptions(args, { timeout: { type: 'string', default: '60' } }, usage);
    return (await stopRun(Number(values.timeout))) ? 0 : 1;
  },
};

/**
 * `harness down` for the other commands: stops the run's supervisor (SIGTERM, SIGKILL after
 * `timeoutSeconds`) and whatever a killed one left behind. True when nothing is left running.
 */
export async function stopRun(timeoutSeconds = 60): Promise<boolean> {
  const state = readRunState();
  if (!state) {
    console.log('nothing is running');
    return true;
  }
  if (isAlive(state.supervisorPid)) {
    process.kill(state.supervisorPid, 'SIGTERM');
    const deadline = Date.now() + timeoutSeconds * 1000;
    while (isAlive(state.supervisorPid) && Date.now() < deadline) await sleep(100);
    if (isAlive(state.supervisorPid)) {
      console.log(`supervisor ${state.supervisorPid} did not stop in time; killing it`);
      process.kill(state.supervisorPid, 'SIGKILL');
      await sleep(200);
    }
  }
  // Whatever a killed supervisor left behind goes too.
  const leftovers = readRunState() ? reapStaleRun(state) : [];
  for (const line of leftovers) console.log(`  ${line}`);
  const alive = state.processes.filter((proc) => ownsProcess(proc));
  if (alive.length > 0) {
    console.error(`still running: ${alive.map((p) => `${p.name} (${p.pid})`).join(', ')}`);
    return false;
  }
  console.log(green('stopped; nothing left running'));
  return true;
}
