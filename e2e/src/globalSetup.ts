import { isAlive, readRunState, sleep, stateFile, type RunState } from '@harness/runtime';
import { startSystem } from '@harness/runtime';
import { assertChromiumInstalled } from './chromium.ts';
import { describeSystem, SYSTEM_ENV_VAR, type SystemUnderTest } from './systemUnderTest.ts';

/**
 * Tuning for a system this run starts itself: a short half-open delay so the payment breaker
 * flow does not wait 5 s for the probe. Values already in the environment win.
 */
const STARTED_SYSTEM_TUNING: Record<string, string> = { PAYMENT_BREAKER_HALF_OPEN_MS: '2000' };

const log = (line: string): void => console.log(`[e2e] ${line}`);

/**
 * Attaches to the system `harness up` runs (`.harness/run.json`, or HARNESS_STATE_DIR), or starts
 * one with `startSystem`; the function it returns is Playwright's global teardown and stops a
 * system this run started (an attached one is left running).
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  assertChromiumInstalled();
  const running = await runningSystemState();
  if (running?.infra && running.secrets) {
    const system = describeSystem(running.infra, running.secrets, 'attached');
    await assertReachable(system);
    process.env[SYSTEM_ENV_VAR] = JSON.stringify(system);
    log(`attached to the running system (supervisor pid ${running.supervisorPid}), storefront ${system.storefrontUrl}`);
    return async () => undefined;
  }
  for (const [name, value] of Object.entries(STARTED_SYSTEM_TUNING)) process.env[name] ??= value;
  log('no running system; starting one (PostgreSQL, RabbitMQ, Toxiproxy, services)');
  const startedAt = performance.now();
  const launched = await startSystem({ log: (line) => log(line) });
  const system = describeSystem(launched.infra.description, launched.secrets, 'started');
  process.env[SYSTEM_ENV_VAR] = JSON.stringify(system);
  log(`system up in ${((performance.now() - startedAt) / 1000).toFixed(1)} s, storefront ${system.storefrontUrl}`);
  return async () => {
    log('stopping the system this run started');
    await launched.stop();
  };
}

/** The run state of a live `harness up`, waiting while it is still starting; undefined if none. */
async function runningSystemState(): Promise<RunState | undefined> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const state = readRunState();
    if (!state || !isAlive(state.supervisorPid)) {
      if (state) log(`ignoring the stale run in ${stateFile()} (supervisor ${state.supervisorPid} is gone)`);
      return undefined;
    }
    if (state.status === 'ready') return state;
    if (state.status !== 'starting' || Date.now() > deadline) {
      throw new Error(`the run in ${stateFile()} is ${state.status}; wait for it or run \`npx harness down\``);
    }
    await sleep(500);
  }
}

async function assertReachable(system: SystemUnderTest): Promise<void> {
  try {
    const response = await fetch(`${system.storefrontUrl}/health/ready`, { signal: AbortSignal.timeout(3_000) });
    if (response.ok) return;
    throw new Error(`answered ${response.status}`);
  } catch (error) {
    throw new Error(
      `the running system's storefront ${system.storefrontUrl} is not ready (${error instanceof Error ? error.message : String(error)}); check \`npx harness status\``,
      { cause: error },
    );
  }
}
