import { AppError, type HandlerRequest } from '@harness/kit';
import type { FastifyRequest } from 'fastify';
import { principalOf } from '../auth/apiKeyGuard.ts';
import type { ApiScope } from '../auth/apiKeys.ts';
import { getProductHandler, listProductsHandler } from '../catalog/catalogHandlers.ts';
import type { GatewayClients } from '../dependencies.ts';
import { gatewaySpec } from '../gatewaySpec.ts';
import type { OrderHistory } from '../history/orderHistory.ts';
import { fetchNotifications, fetchViewedOrder, type ViewedOrder } from '../orders/orderViewParts.ts';
import { placeOrderHandler } from '../orders/placeOrderHandler.ts';
import type { PublicOrder } from '../orders/publicOrder.ts';

/** What every resolver is given: the request, whose caller the API-key check let through. */
export interface GraphqlContext {
  request: FastifyRequest;
}

interface IdArgs {
  id: string;
}

interface PlaceOrderArgs {
  input: unknown;
  idempotencyKey?: string | null;
}

const schemas = (gatewaySpec as { components: { schemas: Record<string, { pattern?: string }> } }).components.schemas;
/** The ids' patterns, read from the same spec REST validates against (ids.yaml). */
const productIdPattern = new RegExp(schemas.ProductId?.pattern ?? '^.+$');
const idempotencyKeyPattern = new RegExp(schemas.IdempotencyKey?.pattern ?? '^.+$');

/**
 * The resolvers of contracts/graphql/gateway.graphql. Each root field checks its scope (FORBIDDEN)
 * and runs the logic of its REST twin (the same handlers and clients), so both protocols answer
 * the same data and the same error codes.
 */
export function gatewayResolvers(clients: GatewayClients, history: OrderHistory | undefined) {
  const listProducts = listProductsHandler(clients);
  const getProduct = getProductHandler(clients);
  const placeOrder = placeOrderHandler(clients);
  return {
    Query: {
      products: async (_root: unknown, _args: unknown, context: GraphqlContext) => {
        requireScope(context, 'products:read');
        const { body } = await listProducts(handlerRequest(context, 'listProducts', {}));
        return body !== undefined && 'items' in body ? body.items : [];
      },
      product: async (_root: unknown, { id }: IdArgs, context: GraphqlContext) => {
        requireScope(context, 'products:read');
        if (!productIdPattern.test(id)) invalidArgument('id', `"${id}" is not a product id.`);
        const { body } = await getProduct(handlerRequest(context, 'getProduct', {}, { productId: id }));
        return body;
      },
      order: async (_root: unknown, { id }: IdArgs, context: GraphqlContext) => {
        requireScope(context, 'orders:read');
        return fetchViewedOrder(clients, history, id);
      },
    },
    Mutation: {
      placeOrder: async (_root: unknown, args: PlaceOrderArgs, context: GraphqlContext) => {
        requireScope(context, 'orders:write');
        const idempotencyKey = args.idempotencyKey ?? headerValue(context.request, 'idempotency-key');
        if (idempotencyKey === undefined) {
          throw new AppError('IDEMPOTENCY_KEY_MISSING', {
            detail: 'Pass the idempotencyKey argument or send an Idempotency-Key header.',
          });
        }
        if (!idempotencyKeyPattern.test(idempotencyKey) || idempotencyKey.length < 8 || idempotencyKey.length > 128) {
          invalidArgument('idempotencyKey', 'An Idempotency-Key is 8 to 128 letters, digits, "_" or "-".');
        }
        const request = handlerRequest(context, 'placeOrder', { 'Idempotency-Key': idempotencyKey });
        const answer = await placeOrder({ ...request, body: args.input as Parameters<typeof placeOrder>[0]['body'] });
        const { body } = answer;
        if (answer.status === 201 && body !== undefined && 'id' in body) {
          const replayed = answer.headers?.['Idempotent-Replayed'];
          return { orderId: body.id, status: body.status, order: body, replayed: String(replayed) === 'true' };
        }
        if (body !== undefined && 'orderId' in body) {
          return { orderId: body.orderId, status: body.status, order: null, replayed: false };
        }
        throw new AppError('DEPENDENCY_UNAVAILABLE', { detail: 'order gave no answer the gateway understands' });
      },
    },
    OrderView: {
      order: (view: ViewedOrder): PublicOrder => view.order,
      source: (view: ViewedOrder) => (view.source === 'order' ? 'ORDER' : 'READ_MODEL'),
      stale: (view: ViewedOrder) => (view.source === 'read-model' ? view.stale : null),
      lagSeconds: (view: ViewedOrder) => (view.source === 'read-model' ? view.lagSeconds : null),
      notifications: async (view: ViewedOrder) => {
        const items = await fetchNotifications(clients, view.order.id);
        if (items === undefined) {
          throw new AppError('DEPENDENCY_UNAVAILABLE', {
            detail: 'notification is unavailable; the rest of the order view is answered.',
            extensions: { dependency: 'notification' },
          });
        }
        return items;
      },
    },
  };
}

function requireScope(context: GraphqlContext, scope: ApiScope): void {
  const principal = principalOf(context.request);
  if (principal === undefined) throw new AppError('UNAUTHENTICATED');
  if (!principal.scopes.has(scope)) {
    throw new AppError('FORBIDDEN', { detail: `This API key lacks the ${scope} scope.` });
  }
}

function invalidArgument(argument: string, message: string): never {
  throw new AppError('VALIDATION_FAILED', { detail: message, extensions: { argument } });
}

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** The request a REST handler expects, built from a GraphQL call (handlers read what they need). */
function handlerRequest<
  Headers extends Record<string, unknown>,
  Params extends Record<string, unknown> = Record<string, never>,
>(context: GraphqlContext, operationId: string, headers: Headers, params: Params = {} as Params) {
  return {
    params,
    query: {},
    headers,
    body: undefined,
    operationId,
    log: context.request.log,
    request: context.request,
  } satisfies HandlerRequest<Params, Record<string, never>, Headers, undefined>;
}
