// The run's reaper, a small process of its own (testcontainers' Ryuk, without an image): it holds
// an IPC channel to the process that started the run, and when that channel closes (stop(), Ctrl-C,
// a crash, kill -9) it removes every container labelled with the run, then exits.
// Usage (by watchRun): node reaper.ts <runId>
const runId = process.argv[2];
if (!runId) throw new Error('usage: reaper.ts <runId>');

// In a session of its own already (spawned detached); a terminal's signals are not for it.
for (const signal of ['SIGINT', 'SIGHUP'] as const) process.on(signal, () => undefined);

let reaping = false;
async function reap(): Promise<void> {
  if (reaping) return;
  reaping = true;
  // Loaded only now, so the reaper is ready at once and costs the run no start-up time.
  const [{ containerEngine }, { RUN_LABEL }, { listContainers, removeContainers }] = await Promise.all([
    import('./engine.ts'),
    import('./labels.ts'),
    import('./removeContainers.ts'),
  ]);
  const client = await containerEngine();
  await removeContainers(client, await listContainers(client, [`${RUN_LABEL}=${runId}`]));
  process.exit(0);
}

process.on('disconnect', () => void reap());
// The parent may be gone before this listener was registered.
if (!process.connected) void reap();
else process.send?.('ready');
