import type { InventoryOperations } from '@harness/contracts';
import { AppError, respond, type OperationHandler } from '@harness/kit';
import type { Queryable } from '@harness/kit';
import { findProduct, listProducts } from './productStore.ts';

export interface CatalogHandlers {
  listProducts: OperationHandler<InventoryOperations['listProducts']>;
  getProduct: OperationHandler<InventoryOperations['getProduct']>;
}

export function catalogHandlers(db: Queryable): CatalogHandlers {
  return {
    listProducts: async () => respond(200, { items: await listProducts(db) }),
    getProduct: async ({ params }) => {
      const product = await findProduct(db, params.productId);
      if (product === undefined) {
        throw new AppError('PRODUCT_NOT_FOUND', {
          detail: `No product ${params.productId}.`,
          extensions: { productId: params.productId },
        });
      }
      return respond(200, product);
    },
  };
}
