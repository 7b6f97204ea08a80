import { isAlive } from '../process.ts';
import { containerEngine } from './engine.ts';
import { localOwnerPid, OWNER_LABEL, PROVIDER_LABEL } from './labels.ts';
import { listContainers, removeContainers } from './removeContainers.ts';

export interface CleanupOptions {
  /** Remove every container of the provider, also those of runs still alive. */
  all?: boolean;
}

/**
 * Removes the containers that runs of the containers provider left behind when their process was
 * killed (kill -9, crash, reboot): those whose owner process on this host is gone. Containers
 * started from another host against a shared engine are left alone unless `all` is set.
 * Returns the names of the containers it removed.
 */
export async function cleanupStaleContainers(opts: CleanupOptions = {}): Promise<string[]> {
  const client = await containerEngine();
  const containers = await listContainers(client, [`${PROVIDER_LABEL}=containers`]);
  const stale = containers.filter((container) => {
    if (opts.all) return true;
    const pid = localOwnerPid(container.labels[OWNER_LABEL]);
    return pid !== undefined && !isAlive(pid);
  });
  await removeContainers(client, stale);
  return stale.map((container) => container.name);
}
