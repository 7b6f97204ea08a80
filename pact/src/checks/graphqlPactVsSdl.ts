import fs from 'node:fs';
import { createRequire } from 'node:module';
import type * as graphql from 'graphql';
import { parseInteractionName } from '../pacts/interactionName.ts';
import { type HttpInteraction } from '../pacts/pactFile.ts';

export { isGraphqlInteraction } from '../pacts/pactFile.ts';
import { checkResult, type CheckIssue, type CheckResult } from './checkResult.ts';

// graphql's CommonJS entry, as @graphql-inspector/core gets it (see breaking/graphqlDiff.ts).
const { buildSchema, parse, validate, getOperationAST } = createRequire(import.meta.url)('graphql') as typeof graphql;

/**
 * Checks the GraphQL interactions of an HTTP pact against the provider's SDL: each is named
 * `<OperationName>: <scenario>` after the operation it sends (and sends that operationName); the
 * document parses and is valid against the SDL (no field the schema lacks); every variable the
 * operation requires is given. Responses are checked by provider verification (the real server).
 */
export function checkGraphqlPactAgainstSdl(interactions: readonly HttpInteraction[], sdlFile: string): CheckResult {
  let schema: graphql.GraphQLSchema;
  try {
    schema = buildSchema(fs.readFileSync(sdlFile, 'utf8'));
  } catch (error) {
    return checkResult(0, [{ message: `${sdlFile}: ${error instanceof Error ? error.message : String(error)}` }]);
  }
  const issues: CheckIssue[] = [];
  for (const interaction of interactions) {
    const at = { interaction: interaction.description };
    const content = interaction.request.body?.content as {
      query: string;
      operationName?: unknown;
      variables?: Record<string, unknown>;
    };
    let document: graphql.DocumentNode;
    try {
      document = parse(content.query);
    } catch (error) {
      issues.push({ ...at, message: `its query does not parse: ${(error as Error).message}` });
      continue;
    }
    for (const error of validate(schema, document)) issues.push({ ...at, message: `${sdlFile}: ${error.message}` });
    const operationName = typeof content.operationName === 'string' ? content.operationName : undefined;
    const operation = getOperationAST(document, operationName);
    const name = parseInteractionName(interaction.description);
    if (!operation?.name) {
      issues.push({ ...at, message: 'sends no single named operation' });
      continue;
    }
    if (name?.target !== operation.name.value) {
      issues.push({ ...at, message: `is not named after its operation ("${operation.name.value}: <scenario>")` });
    }
    for (const definition of operation.variableDefinitions ?? []) {
      const variable = definition.variable.name.value;
      const required = definition.type.kind === 'NonNullType' && definition.defaultValue === undefined;
      if (required && content.variables?.[variable] == null) {
        issues.push({ ...at, message: `does not give the required variable $${variable}` });
      }
    }
  }
  return checkResult(interactions.length, issues);
}
