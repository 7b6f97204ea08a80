// Public entry of @harness/contracts: generated API types and event models/validators, plus helpers.
export type * from '../generated/openapi/index.ts';
export { openapiServices } from '../generated/openapi/index.ts';
export * from '../generated/events/index.ts';
export { specPath, eventSchemasPath, graphqlSchemaPath } from './spec-path.ts';
export { validateEvent, type EventValidation, type EventValidationError, type ValidEvent } from './validate-event.ts';
export { formatContractIssue, hasErrors, type ContractIssue, type ContractIssueSeverity } from './contract-issue.ts';
