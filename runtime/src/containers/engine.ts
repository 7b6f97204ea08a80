import { getContainerRuntimeClient, ImageName, type ContainerRuntimeClient } from 'testcontainers';
import { LOOPBACK } from '../ports.ts';
import { CONTAINERS_SETUP_HINT, isLocallyBuilt, type ContainerImages } from './images.ts';

export class ContainerEngineError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ContainerEngineError';
  }
}

export function isContainerEngineError(error: unknown): error is ContainerEngineError {
  return error instanceof ContainerEngineError;
}

/**
 * The Docker engine, through testcontainers, with two defaults a caller's own setting overrides:
 * - Ryuk (testcontainers' reaper) is off: its image cannot be pulled where no registry is
 *   reachable, and the provider removes its own containers (stop, failure, signals, stale labels);
 * - the host that reaches published ports is 127.0.0.1: the provider publishes on loopback only,
 *   for services running on this host. (Left to itself, testcontainers takes the bridge gateway
 *   wherever a /.dockerenv file exists, as on this project's CI machines, and never sees the ports.)
 * The engine must run on this host (a remote DOCKER_HOST cannot serve host-loopback ports).
 */
export async function containerEngine(): Promise<ContainerRuntimeClient> {
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= LOOPBACK;
  try {
    return await getContainerRuntimeClient();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ContainerEngineError(`no Docker engine answers (${reason}). ${CONTAINERS_SETUP_HINT}`, { cause: error });
  }
}

/**
 * Fails fast, naming the setup commands, when a locally built image of those given (a run's) is missing (it exists on no
 * registry, so a pull would only fail later and slower). Official images are left to the engine
 * to pull.
 */
export async function assertImagesAvailable(
  client: ContainerRuntimeClient,
  images: Partial<ContainerImages>,
): Promise<void> {
  const missing: string[] = [];
  for (const image of Object.values(images)) {
    if (isLocallyBuilt(image) && !(await client.image.exists(ImageName.fromString(image)))) missing.push(image);
  }
  if (missing.length > 0) {
    throw new ContainerEngineError(`image ${missing.join(', ')} not found in the engine. ${CONTAINERS_SETUP_HINT}`);
  }
}
