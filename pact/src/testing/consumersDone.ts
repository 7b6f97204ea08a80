import fs from 'node:fs';

/**
 * `harness contracts` runs the provider verifications beside the consumer tests: the providers'
 * run starts its system at once, then waits for this file, which the harness writes when the
 * consumer tests have ended (their pacts are written). Unset: nothing to wait for.
 */
export const CONSUMERS_DONE_ENV = 'HARNESS_PACT_CONSUMERS_DONE_FILE';

/** Waits until the consumer tests of this stage have ended (see CONSUMERS_DONE_ENV). */
export async function consumersDone(
  env: NodeJS.ProcessEnv = process.env,
  { timeoutMs = 100_000, pollMs = 20 }: { timeoutMs?: number; pollMs?: number } = {},
): Promise<void> {
  const file = env[CONSUMERS_DONE_ENV];
  if (!file) return;
  const until = Date.now() + timeoutMs;
  while (!fs.existsSync(file)) {
    if (Date.now() > until)
      throw new Error(
        `the consumer tests did not end within ${timeoutMs / 1000} s (${CONSUMERS_DONE_ENV}=${file} never appeared)`,
      );
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
