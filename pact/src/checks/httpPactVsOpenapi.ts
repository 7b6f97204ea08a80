// swagger-mock-validator ships no types; the declaration is loaded wherever this module is compiled.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../types/swagger-mock-validator.d.ts" />
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SwaggerMockValidatorFactory, type ValidationOutcome } from '@pactflow/swagger-mock-validator';
import { parseInteractionName } from '../pacts/interactionName.ts';
import { isHttpInteraction, readPactFile, type PactDocument } from '../pacts/pactFile.ts';
import { checkResult, failedCheck, type CheckIssue, type CheckResult } from './checkResult.ts';
import type { ConformanceOptions } from './messagePactVsAsyncapi.ts';
import { mountedDocument, openapiOperations, pathMatchesTemplate, readOpenapiDocument } from './openapiOperations.ts';

/**
 * Checks an HTTP pact against the provider's bundled OpenAPI document:
 * 1. every interaction is HTTP and named `<operationId>: <scenario>` after an operation of the
 *    spec, whose method and path template match the interaction's request;
 * 2. @pactflow/swagger-mock-validator (on the document with its server base path mounted) finds
 *    every request and response compatible with the spec (unknown response fields are errors:
 *    a consumer must not expect what the spec never sends).
 */
export async function checkHttpPactAgainstOpenapi(
  pactFile: string,
  specFile: string,
  options: ConformanceOptions = { strictNames: true },
): Promise<CheckResult> {
  let pact: PactDocument;
  let document;
  try {
    pact = readPactFile(pactFile);
    document = readOpenapiDocument(specFile);
  } catch (error) {
    return failedCheck(error instanceof Error ? error.message : String(error));
  }
  if (pact.interactions.length === 0) return failedCheck(`${pactFile} has no interactions`);
  const operations = openapiOperations(document);

  const issues: CheckIssue[] = [];
  for (const interaction of pact.interactions) {
    const at = { interaction: interaction.description };
    if (!isHttpInteraction(interaction)) {
      issues.push({ ...at, message: `is a ${interaction.type} interaction in an HTTP pact` });
      continue;
    }
    const name = parseInteractionName(interaction.description);
    if (!name && !options.strictNames) {
      const { method, path: requestPath } = interaction.request;
      const matches = operations.filter(
        (candidate) => candidate.method === method.toUpperCase() && pathMatchesTemplate(requestPath, candidate.path),
      );
      if (matches.length === 0)
        issues.push({
          ...at,
          message: `requests ${method.toUpperCase()} ${requestPath}, which ${specFile} does not define`,
        });
      continue;
    }
    if (!name) {
      issues.push({ ...at, message: 'does not name its operation ("<operationId>: <scenario>")' });
      continue;
    }
    const operation = operations.find((candidate) => candidate.operationId === name.target);
    if (!operation) {
      issues.push({ ...at, message: `names operation ${name.target}, which ${specFile} does not define` });
      continue;
    }
    const { method, path: requestPath } = interaction.request;
    if (method.toUpperCase() !== operation.method || !pathMatchesTemplate(requestPath, operation.path)) {
      issues.push({
        ...at,
        message: `requests ${method.toUpperCase()} ${requestPath}, but ${name.target} is ${operation.method} ${operation.path}`,
      });
    }
  }

  let outcome: ValidationOutcome;
  const mountedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-smv-'));
  const mountedSpec = path.join(mountedDir, path.basename(specFile));
  try {
    fs.writeFileSync(mountedSpec, JSON.stringify(mountedDocument(document)));
    outcome = await SwaggerMockValidatorFactory.create().validate({
      specPathOrUrl: mountedSpec,
      mockPathOrUrl: pactFile,
    });
  } catch (error) {
    return checkResult(pact.interactions.length, [
      ...issues,
      { message: `swagger-mock-validator could not run: ${error instanceof Error ? error.message : String(error)}` },
    ]);
  } finally {
    fs.rmSync(mountedDir, { recursive: true, force: true });
  }
  const errors = outcome.errors;
  for (const error of errors) {
    const description = error.mockDetails?.interactionDescription;
    const where = error.mockDetails?.location ? ` (${error.mockDetails.location})` : '';
    issues.push({
      ...(description === undefined ? {} : { interaction: description }),
      message: `${error.code}: ${error.message}${where}`,
    });
  }
  if (!outcome.success && errors.length === 0)
    issues.push({ message: outcome.failureReason ?? 'swagger-mock-validator failed' });
  const notes = outcome.warnings.map(
    (warning) => `${warning.mockDetails?.interactionDescription ?? ''}: ${warning.code}: ${warning.message}`,
  );
  return checkResult(pact.interactions.length, issues, notes);
}
