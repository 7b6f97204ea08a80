import type { Oas3Rule, Plugin, RawUniversalConfig, UserContext } from '@redocly/openapi-core';

type Node = Record<string, unknown>;

function isObject(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasExample(node: Node): boolean {
  return node['example'] !== undefined || (isObject(node['examples']) && Object.keys(node['examples']).length > 0);
}

/** Follows `$ref`s (relative to the file the node was read from) like Redocly does. */
function deref(node: unknown, from: string, ctx: UserContext): { node: Node; from: string } | undefined {
  if (!isObject(node)) return undefined;
  if (typeof node['$ref'] !== 'string') return { node, from };
  const resolved = ctx.resolve<Node>(node as { $ref: string }, from);
  if (!resolved.node) return undefined;
  return deref(resolved.node, resolved.location.source.absoluteRef, ctx);
}

function contentHasExample(holder: Node, from: string, ctx: UserContext): boolean {
  const content = holder['content'];
  if (!isObject(content)) return false;
  return Object.values(content).some((media) => {
    const resolved = deref(media, from, ctx);
    return resolved !== undefined && hasExample(resolved.node);
  });
}

/** Every operation shows at least one example (parameter, request body or response). */
const operationExample: Oas3Rule = () => ({
  Operation: {
    enter(node, ctx) {
      const operation = node as unknown as Node;
      const from = ctx.location.source.absoluteRef;
      const parameters = Array.isArray(operation['parameters']) ? operation['parameters'] : [];
      const inParameters = parameters.some((parameter: unknown) => {
        const resolved = deref(parameter, from, ctx);
        return resolved !== undefined && hasExample(resolved.node);
      });
      const body = deref(operation['requestBody'], from, ctx);
      const inBody = body !== undefined && contentHasExample(body.node, body.from, ctx);
      const responses = isObject(operation['responses']) ? Object.values(operation['responses']) : [];
      const inResponses = responses.some((response) => {
        const resolved = deref(response, from, ctx);
        return resolved !== undefined && contentHasExample(resolved.node, resolved.from, ctx);
      });
      if (!inParameters && !inBody && !inResponses) {
        ctx.report({
          message: 'Operation has no example (parameters, request body or responses).',
          location: ctx.location.key(),
        });
      }
    },
  },
});

/** Every request and response body shows an example, so that docs, mocks and tests have data. */
const mediaTypeExample: Oas3Rule = () => ({
  MediaType: {
    enter(media, ctx) {
      if (!hasExample(media as unknown as Node)) {
        ctx.report({ message: 'Media type has no `example` or `examples`.', location: ctx.location.key() });
      }
    },
  },
});

/** Project rules, enabled as `contracts/<rule>` (ready plugins are not prefixed by Redocly, so the ids carry it). */
export const contractsPlugin: Plugin = {
  id: 'contracts',
  rules: {
    oas3: { 'contracts/operation-example': operationExample, 'contracts/media-type-example': mediaTypeExample },
  },
};

/** The recommended ruleset, tuned for this project. Only `error` fails validation. */
export const lintConfig: RawUniversalConfig = {
  extends: ['recommended'],
  rules: {
    // Examples are data for docs, mocks and contract tests: they must match their schema.
    'no-invalid-media-type-examples': { severity: 'error', allowAdditionalProperties: false },
    'no-invalid-parameter-examples': 'error',
    'no-invalid-schema-examples': 'error',
    'operation-operationId': 'error',
    'operation-tag-defined': 'error',
    // Every 4xx is an RFC 9457 problem document.
    'operation-4xx-problem-details-rfc7807': 'error',
    // Health and metrics endpoints have no client errors; secured operations declare 401 themselves.
    'operation-4xx-response': 'off',
    // Services listen on loopback ports assigned by the topology, so localhost servers are right here.
    'no-server-example.com': 'off',
    'contracts/operation-example': 'error',
    'contracts/media-type-example': 'warn',
  },
};
