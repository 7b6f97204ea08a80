import { getContainerRuntimeClient, ImageName, type ContainerRuntimeClient } from 'testcontainers';
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
 * The Docker engine, through testcontainers. Ryuk (testcontainers' reaper) is off unless the caller
 * set TESTCONTAINERS_RYUK_DISABLED itself: its image cannot be pulled where no registry is
 * reachable, and the provider removes its own containers (stop, failure, signals, stale labels).
 */
export async function containerEngine(): Promise<ContainerRuntimeClient> {
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  try {
    return await getContainerRuntimeClient();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ContainerEngineError(`no Docker engine answers (${reason}). ${CONTAINERS_SETUP_HINT}`, { cause: error });
  }
}

/**
 * Fails fast, naming the setup commands, when a locally built image is missing (it exists on no
 * registry, so a pull would only fail later and slower). Official images are left to the engine
 * to pull.
 */
export async function assertImagesAvailable(client: ContainerRuntimeClient, images: ContainerImages): Promise<void> {
  const missing: string[] = [];
  for (const image of Object.values(images)) {
    if (isLocallyBuilt(image) && !(await client.image.exists(ImageName.fromString(image)))) missing.push(image);
  }
  if (missing.length > 0) {
    throw new ContainerEngineError(`image ${missing.join(', ')} not found in the engine. ${CONTAINERS_SETUP_HINT}`);
  }
}
