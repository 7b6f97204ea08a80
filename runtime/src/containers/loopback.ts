import { LOOPBACK } from '../ports.ts';

interface PortBindingsHolder {
  PortBindings?: Record<string, Array<{ HostIp?: string; HostPort?: string }>>;
}

/**
 * testcontainers publishes exposed ports on every host address; the harness publishes them on
 * loopback only. Called from a container class's `beforeContainerCreated` hook.
 */
export function publishOnLoopback(hostConfig: PortBindingsHolder): void {
  for (const bindings of Object.values(hostConfig.PortBindings ?? {})) {
    for (const binding of bindings) binding.HostIp = LOOPBACK;
  }
}
