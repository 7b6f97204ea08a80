export { startContainerInfra } from './startContainerInfra.ts';
export type { ContainerInfra, ContainerInfraDescription, ContainerInfraOptions } from './startContainerInfra.ts';
export { cleanupStaleContainers, type CleanupOptions } from './cleanupStaleContainers.ts';
export { containerImages, OFFICIAL_IMAGES, CONTAINERS_SETUP_HINT, type ContainerImages } from './images.ts';
export { containerEngine, ContainerEngineError, isContainerEngineError } from './engine.ts';
export type { PostgresEndpoint } from './postgresContainer.ts';
export type { RabbitMqEndpoint } from './rabbitmqContainer.ts';
export type { ToxiproxyEndpoint } from './toxiproxyContainer.ts';
