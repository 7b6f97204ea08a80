import {
  AppError,
  isDatabaseUnavailable,
  unaryHandler,
  withRawRequests,
  type Logger,
  type Queryable,
} from '@harness/kit';
import {
  GetStockLevelsRequest,
  StockLevelServiceService,
  type GetStockLevelsResponse,
} from '@harness/contracts/grpc/inventory/v1/stock_levels';
import type { ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';

/** At most this many ids per call (the proto's comment says so). */
export const MAX_PRODUCT_IDS = 50;

/** The levels of known products, in the order asked, and the ids the catalog does not know. */
export async function getStockLevels(db: Queryable, productIds: readonly string[]): Promise<GetStockLevelsResponse> {
  const { rows } = await db.query<{ id: string; available: number }>({
    name: 'stock-levels',
    text: 'SELECT id, available FROM products WHERE id = ANY($1::text[])',
    values: [productIds],
  });
  const available = new Map(rows.map((row) => [row.id, row.available]));
  const unique = [...new Set(productIds)];
  return {
    levels: unique.flatMap((productId) => {
      const units = available.get(productId);
      return units === undefined ? [] : [{ productId, available: units }];
    }),
    unknownProductIds: unique.filter((productId) => !available.has(productId)),
  };
}

function checkRequest(request: GetStockLevelsRequest): void {
  const ids = request.productIds;
  if (ids.length === 0 || ids.length > MAX_PRODUCT_IDS || ids.some((id) => id === '')) {
    throw new AppError('VALIDATION_FAILED', {
      detail: `product_ids must name 1 to ${MAX_PRODUCT_IDS} products, none empty (got ${ids.length})`,
    });
  }
}

export interface StockLevelServiceDeps {
  pool: Queryable;
  serviceToken: string;
  logger?: Logger;
}

/** harness.inventory.v1.StockLevelService (link L11): its definition and implementation for a grpc-js server. */
export function stockLevelService(deps: StockLevelServiceDeps): {
  definition: ServiceDefinition;
  implementation: UntypedServiceImplementation;
} {
  return {
    definition: withRawRequests(StockLevelServiceService),
    implementation: {
      getStockLevels: unaryHandler(
        (bytes) => GetStockLevelsRequest.decode(bytes),
        async (request) => {
          checkRequest(request);
          try {
            return await getStockLevels(deps.pool, request.productIds);
          } catch (error) {
            if (!isDatabaseUnavailable(error)) throw error;
            throw new AppError('DEPENDENCY_UNAVAILABLE', {
              detail: 'the inventory database is unavailable',
              cause: error,
            });
          }
        },
        {
          requestName: 'GetStockLevelsRequest',
          serviceToken: deps.serviceToken,
          ...(deps.logger === undefined ? {} : { logger: deps.logger }),
        },
      ),
    },
  };
}
