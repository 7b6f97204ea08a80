import os from 'node:os';

/** Every container the provider starts carries these labels, so a later run can find leftovers. */
export const PROVIDER_LABEL = 'io.harness.provider';
export const RUN_LABEL = 'io.harness.run';
/** `<hostname>/<pid>` of the process that started the container. */
export const OWNER_LABEL = 'io.harness.owner';

export function runLabels(runId: string): Record<string, string> {
  return { [PROVIDER_LABEL]: 'containers', [RUN_LABEL]: runId, [OWNER_LABEL]: ownerOf(process.pid) };
}

function ownerOf(pid: number): string {
  return `${os.hostname()}/${pid}`;
}

/** The pid in an owner label, when the label was written on this host; undefined otherwise. */
export function localOwnerPid(owner: string | undefined): number | undefined {
  if (!owner) return undefined;
  const slash = owner.lastIndexOf('/');
  if (owner.slice(0, slash) !== os.hostname()) return undefined;
  const pid = Number(owner.slice(slash + 1));
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}
