import { readFileSync } from 'node:fs';
import { graphqlSchemaPath } from '@harness/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import { getComplexity, simpleEstimator } from 'graphql-query-complexity';
import mercurius from 'mercurius';
import type { ApiPrincipal } from '../auth/apiKeys.ts';
import type { GatewayClients } from '../dependencies.ts';
import type { OrderHistory } from '../history/orderHistory.ts';
import { formatGraphqlErrors } from './graphqlErrors.ts';
import { gatewayResolvers, type GraphqlContext } from './resolvers.ts';

/** Where the GraphQL API is served (POST, and GET for queries). */
export const graphqlPath = '/api/graphql';

/** How much one GraphQL request may ask for (GRAPHQL_MAX_DEPTH, GRAPHQL_MAX_COMPLEXITY). */
export interface GraphqlLimits {
  /** Deepest field nesting of an operation. */
  maxDepth: number;
  /** Highest cost of an operation: each selected field (aliases included) costs 1. */
  maxComplexity: number;
}

export const defaultGraphqlLimits: GraphqlLimits = { maxDepth: 8, maxComplexity: 200 };

export interface GraphqlOptions {
  clients: GatewayClients;
  history: OrderHistory | undefined;
  limits: GraphqlLimits;
  /** The API-key check shared with REST: 401 without a valid key, 429 beyond its rate limit. */
  authenticate: (request: FastifyRequest) => ApiPrincipal;
}

/** Each selected field costs 1 (aliases count apart: asking the catalog 50 times costs 50 times). */
const estimators = [simpleEstimator({ defaultComplexity: 1 })];

const graphqlResponseType = 'application/graphql-response+json';

const acceptsGraphqlResponse = (accept: string | undefined): boolean =>
  accept?.split(',').some((range) => range.split(';')[0]?.trim() === graphqlResponseType) ?? false;

/** The SDL contract, read once: the gateway serves it as written (schema-first). */
const gatewaySdl = readFileSync(graphqlSchemaPath('gateway'), 'utf8');

/**
 * Serves contracts/graphql/gateway.graphql at /api/graphql with mercurius, in its own Fastify
 * scope (its error handler and content-type parser stay there). Every request presents an API
 * key before its body is read (the REST guard's check and rate limiter); depth and cost are
 * checked before anything runs; errors carry `extensions.code` (graphqlErrors.ts).
 */
export function registerGraphql(app: FastifyInstance, options: GraphqlOptions): void {
  void app.register(async (scope) => {
    scope.addHook('onRequest', async (request) => {
      options.authenticate(request);
    });
    // GraphQL-over-HTTP: a client that accepts application/graphql-response+json gets it.
    scope.addHook('onSend', async (request, reply, payload) => {
      const type = String(reply.getHeader('content-type') ?? '');
      if (type.startsWith('application/json') && acceptsGraphqlResponse(request.headers.accept)) {
        reply.header('content-type', `${graphqlResponseType}; charset=utf-8`);
      }
      return payload;
    });
    await scope.register(mercurius, {
      schema: gatewaySdl,
      resolvers: gatewayResolvers(options.clients, options.history) as never,
      path: graphqlPath,
      graphiql: false,
      queryDepth: options.limits.maxDepth,
      context: (request): GraphqlContext => ({ request }),
      errorFormatter: formatGraphqlErrors as never,
    });
    // The cost needs the variables, so it is checked after validation, before anything runs.
    scope.graphql.addHook('preExecution', async (schema, document, _context, variables) => {
      const cost = getComplexity({ schema, query: document, variables: variables ?? {}, estimators });
      const limit = options.limits.maxComplexity;
      if (cost > limit) {
        throw new GraphQLError(`The query costs ${cost}; the limit is ${limit} (GRAPHQL_MAX_COMPLEXITY).`, {
          extensions: { code: 'QUERY_TOO_COMPLEX', cost, limit },
        });
      }
    });
  });
}
