import type { ContainerRuntimeClient } from 'testcontainers';

export interface LabelledContainer {
  id: string;
  name: string;
  labels: Record<string, string>;
}

/** Containers (running or not) that carry every given `key=value` or `key` label. */
export async function listContainers(client: ContainerRuntimeClient, labels: string[]): Promise<LabelledContainer[]> {
  const found = await client.container.dockerode.listContainers({ all: true, filters: { label: labels } });
  return found.map((info) => ({
    id: info.Id,
    name: info.Names[0]?.replace(/^\//, '') ?? info.Id,
    labels: info.Labels,
  }));
}

/**
 * Kills and removes the given containers with their anonymous volumes. A container already gone
 * (404) or already being removed (409) counts as removed; anything else is reported.
 */
export async function removeContainers(client: ContainerRuntimeClient, containers: LabelledContainer[]): Promise<void> {
  const results = await Promise.allSettled(
    containers.map((container) =>
      client.container.dockerode.getContainer(container.id).remove({ force: true, v: true }),
    ),
  );
  const failures = results.flatMap((result, i) => {
    if (result.status === 'fulfilled') return [];
    const status = (result.reason as { statusCode?: number }).statusCode;
    if (status === 404 || status === 409) return [];
    const reason = result.reason instanceof Error ? result.reason.message : String(result.reason);
    return [`${containers[i]?.name ?? '?'}: ${reason}`];
  });
  if (failures.length > 0) throw new Error(`could not remove containers: ${failures.join('; ')}`);
}
