import type { ApiScope } from './apiKeys.ts';

/** The scope an API key needs for each public operation. */
const operationScopes: Readonly<Record<string, ApiScope>> = {
  listProducts: 'products:read',
  getProduct: 'products:read',
  placeOrder: 'orders:write',
  getOrderView: 'orders:read',
  listOrderHistory: 'orders:read',
};

const methods = ['get', 'put', 'post', 'delete', 'patch'] as const;

/**
 * The required scope per Fastify route (`POST /api/v1/orders`), read from the spec (its paths
 * served under `routePrefix`) so the guard can check it before the body is even read.
 */
export function routeScopes(spec: object, routePrefix = ''): Map<string, ApiScope> {
  const scopes = new Map<string, ApiScope>();
  const paths = (spec as { paths?: Record<string, Record<string, { operationId?: string } | undefined>> }).paths ?? {};
  for (const [path, item] of Object.entries(paths)) {
    for (const method of methods) {
      const operationId = item[method]?.operationId;
      const scope = operationId === undefined ? undefined : operationScopes[operationId];
      if (scope !== undefined) {
        scopes.set(routeKey(method, `${routePrefix}${path.replace(/\{([^}]+)\}/g, ':$1')}`), scope);
      }
    }
  }
  return scopes;
}

export function routeKey(method: string, routeUrl: string): string {
  return `${method.toUpperCase()} ${routeUrl}`;
}
