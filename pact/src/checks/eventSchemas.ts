import fs from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Validators compiled from the generated `events/schemas.json` (the JSON Schema document of every
 * event payload and headers under `$defs`), with the same options the contracts generator uses
 * for the services' runtime validators.
 */
export interface EventSchemas {
  validator(schemaName: string): ValidateFunction | undefined;
}

export function loadEventSchemas(file: string): EventSchemas {
  const document = JSON.parse(fs.readFileSync(file, 'utf8')) as { $id?: string; $defs?: Record<string, unknown> };
  const id = document.$id ?? 'urn:harness:contracts:events';
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, logger: false });
  addFormats.default(ajv, { mode: 'full', keywords: false });
  ajv.addVocabulary(['example', 'externalDocs', 'xml', 'discriminator']);
  ajv.addSchema({ $id: id, $defs: document.$defs ?? {} });
  const cache = new Map<string, ValidateFunction | undefined>();
  return {
    validator(schemaName) {
      if (!cache.has(schemaName)) {
        cache.set(
          schemaName,
          document.$defs?.[schemaName] === undefined ? undefined : ajv.getSchema(`${id}#/$defs/${schemaName}`),
        );
      }
      return cache.get(schemaName);
    },
  };
}

export function describeSchemaErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? error.keyword}`).join('; ');
}
