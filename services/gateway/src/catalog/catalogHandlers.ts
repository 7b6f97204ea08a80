import { AppError, callDependency, dependencyUnavailable, type OperationHandler } from '@harness/kit';
import type { GatewayOperations } from '@harness/contracts';
import type { GatewayClients } from '../dependencies.ts';
import { toPublicProduct } from './publicProduct.ts';

type ListProducts = OperationHandler<GatewayOperations['listProducts']>;
type GetProduct = OperationHandler<GatewayOperations['getProduct']>;

/** `GET /api/v1/products`: the inventory catalog in the public shape. */
export function listProductsHandler(clients: Pick<GatewayClients, 'inventory'>): ListProducts {
  return async () => {
    const result = await callDependency(() => clients.inventory.GET('/products'));
    if (result.error) throw dependencyUnavailable('inventory', result.error);
    return { status: 200, body: { items: result.data.items.map(toPublicProduct) } };
  };
}

/** `GET /api/v1/products/{productId}`: one product, 404 PRODUCT_NOT_FOUND when inventory has none. */
export function getProductHandler(clients: Pick<GatewayClients, 'inventory'>): GetProduct {
  return async ({ params }) => {
    const { productId } = params;
    const result = await callDependency(() =>
      clients.inventory.GET('/products/{productId}', { params: { path: { productId } } }),
    );
    if (result.error) {
      if (result.error.kind === 'http' && result.error.status === 404) {
        throw new AppError('PRODUCT_NOT_FOUND', { detail: `No product ${productId}.`, extensions: { productId } });
      }
      throw dependencyUnavailable('inventory', result.error);
    }
    return { status: 200, body: toPublicProduct(result.data) };
  };
}
