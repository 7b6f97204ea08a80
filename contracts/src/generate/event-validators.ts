import { Ajv, _ } from 'ajv';
import addFormats from 'ajv-formats';
import standaloneCode from 'ajv/dist/standalone/index.js';
import type { EventCatalog } from './event-catalog-types.ts';
import { typeNames } from './event-models.ts';

/** `$id` of the event schema document (`schemas.json`). */
const EVENT_SCHEMAS_ID = 'urn:harness:contracts:events';

/** The JSON Schema document with every event schema under `$defs`. */
export function eventSchemasDocument(catalog: EventCatalog, notice: string): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: EVENT_SCHEMAS_ID,
    $comment: notice,
    $defs: catalog.defs,
  };
}

/** Export names of the validators: `validate<Message>Payload` / `validate<Message>Headers`. */
function validatorExports(catalog: EventCatalog): { name: string; schema: string; message: string }[] {
  return catalog.messages.flatMap((message) => [
    { name: `validate${message.id}Payload`, schema: message.payloadSchema, message: message.name },
    ...(message.headersSchema === null
      ? []
      : [{ name: `validate${message.id}Headers`, schema: message.headersSchema, message: message.name }]),
  ]);
}

/** ESM module with Ajv standalone validators (ajv-formats formats, all errors reported). */
export function eventValidatorsSource(catalog: EventCatalog): string {
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    strictTypes: false,
    logger: false,
    // ajv-formats is loaded through `require` (see the banner), from this Ajv's codegen so it serialises.
    code: { source: true, esm: true, lines: true, formats: _`require("ajv-formats/dist/formats").fullFormats` },
  });
  addFormats.default(ajv, { mode: 'full', keywords: false });
  ajv.addVocabulary(['example', 'externalDocs', 'xml', 'discriminator']);
  ajv.addSchema({ $id: EVENT_SCHEMAS_ID, $defs: catalog.defs });
  const exports = Object.fromEntries(
    validatorExports(catalog).map((entry) => [entry.name, `${EVENT_SCHEMAS_ID}#/$defs/${entry.schema}`]),
  );
  const code = standaloneCode.default(ajv, exports).replace(/^"use strict";\s*/, '');
  return [
    "import { createRequire } from 'node:module';",
    '',
    '// Ajv standalone code loads its runtime helpers with require().',
    'const require = createRequire(import.meta.url);',
    '',
    code,
  ].join('\n');
}

/** Declarations for the validators module. */
export function eventValidatorsDeclarations(catalog: EventCatalog): string {
  const names = typeNames(catalog);
  const entries = validatorExports(catalog);
  const types = [...new Set(entries.map((entry) => names.get(entry.schema)))].sort();
  return [
    "import type { ValidateFunction } from 'ajv';",
    types.length > 0 ? `import type { ${types.join(', ')} } from './models.ts';` : '',
    '',
    ...entries.map(
      (entry) => `export declare const ${entry.name}: ValidateFunction<${names.get(entry.schema) ?? 'unknown'}>;`,
    ),
    entries.length === 0 ? 'export {};' : '',
  ].join('\n');
}

/** `index.ts` of the events folder: models, validators and a validator map by message name. */
export function eventIndexSource(catalog: EventCatalog): string {
  const lines = catalog.messages.map((message) => {
    const headers = message.headersSchema === null ? 'undefined' : `validators.validate${message.id}Headers`;
    return `  ${JSON.stringify(message.name)}: { payload: validators.validate${message.id}Payload, headers: ${headers} },`;
  });
  return [
    "import * as validators from './validators.js';",
    '',
    "export * from './models.ts';",
    "export * from './validators.js';",
    '',
    '/** Payload and headers validators of each message, by message name. */',
    'export const messageValidators = {',
    ...lines,
    '} as const;',
  ].join('\n');
}
