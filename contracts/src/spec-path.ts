import { fileURLToPath } from 'node:url';
import type { OpenapiService } from '../generated/openapi/index.ts';

const generatedDir = new URL('../generated/', import.meta.url);

/** Absolute path of the bundled OpenAPI spec of a service (servers validate against it at runtime). */
export function specPath(service: OpenapiService): string {
  return fileURLToPath(new URL(`openapi/${service}.bundled.json`, generatedDir));
}

/** Absolute path of the JSON Schema document of every event payload and headers (`$defs`). */
export function eventSchemasPath(): string {
  return fileURLToPath(new URL('events/schemas.json', generatedDir));
}

const contractsDir = new URL('../', import.meta.url);

/** Absolute path of a GraphQL SDL contract (`graphql/<name>.graphql`); the gateway serves it as written. */
export function graphqlSchemaPath(name: 'gateway'): string {
  return fileURLToPath(new URL(`graphql/${name}.graphql`, contractsDir));
}
