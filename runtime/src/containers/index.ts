export { startContainerInfra } from './startContainerInfra.ts';
export type { ContainerInfra } from './startContainerInfra.ts';
export { cleanupStaleContainers } from './cleanupStaleContainers.ts';
export { containerImages } from './images.ts';
export { containerEngine } from './engine.ts';
