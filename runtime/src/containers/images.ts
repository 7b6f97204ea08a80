import { pinnedKafkaVersion } from '../local/kafka.ts';

/** The images the containers provider starts (RabbitMQ or Kafka, as the topology's broker says). */
export interface ContainerImages {
  postgres: string;
  rabbitmq: string;
  kafka: string;
  toxiproxy: string;
}

/** The official images a team would pull; the defaults when no HARNESS_*_IMAGE is set. */
const OFFICIAL_IMAGES: Omit<ContainerImages, 'kafka'> = {
  postgres: 'postgres:15',
  rabbitmq: 'rabbitmq:3.10',
  toxiproxy: 'ghcr.io/shopify/toxiproxy:2.12.0',
};

/** What makes an engine and the locally built images (ci/containers/images.env names them). */
export const CONTAINERS_SETUP_HINT =
  'Run `bash ci/containers/setup-docker.sh && bash ci/containers/build-images.sh` and ' +
  '`source ci/containers/images.env` (or set HARNESS_POSTGRES_IMAGE, HARNESS_RABBITMQ_IMAGE, ' +
  'HARNESS_KAFKA_IMAGE, HARNESS_TOXIPROXY_IMAGE to images your engine can pull).';

export function containerImages(env: NodeJS.ProcessEnv = process.env): ContainerImages {
  return {
    postgres: env.HARNESS_POSTGRES_IMAGE || OFFICIAL_IMAGES.postgres,
    rabbitmq: env.HARNESS_RABBITMQ_IMAGE || OFFICIAL_IMAGES.rabbitmq,
    // The official image at the version the local provider runs (KAFKA_VERSION in ci/tools.env).
    kafka: env.HARNESS_KAFKA_IMAGE || `apache/kafka:${pinnedKafkaVersion()}`,
    toxiproxy: env.HARNESS_TOXIPROXY_IMAGE || OFFICIAL_IMAGES.toxiproxy,
  };
}

/** Images built by ci/containers/build-images.sh exist on no registry: never try to pull them. */
export function isLocallyBuilt(image: string): boolean {
  return image.startsWith('harness/');
}
