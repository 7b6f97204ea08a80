import type { Pool } from '@harness/kit';
import type { ProviderStateSetup } from '../../src/verify/stateGuard.ts';
import type { RunningApp } from '../support/runningApp.ts';
import { providerServiceToken } from '../support/runningApp.ts';
import { expectStatus, integerParam, stringParam } from './stateParams.ts';

/** Sets the stock of a product in inventory's database (no API sets stock: it is seeded). */
export async function setStock(pool: Pool, productId: string, available: number): Promise<void> {
  const { rowCount } = await pool.query('UPDATE products SET available = $2 WHERE id = $1', [productId, available]);
  if (rowCount !== 1) throw new Error(`product ${productId} is not in the catalog`);
}

const stockState =
  (pool: Pool): ProviderStateSetup =>
  async (params) => {
    await setStock(pool, stringParam(params, 'productId'), integerParam(params, 'available'));
  };

/** Provider states of inventory (links L3 and L4), created through its database and API. */
export function inventoryStates(inventory: RunningApp): Record<string, ProviderStateSetup> {
  const pool = inventory.pool;
  if (!pool) throw new Error('inventory runs without a database');
  const headers = { 'x-service-token': providerServiceToken, 'content-type': 'application/json' };
  return {
    'the catalog has products': async () => {
      const { rows } = await pool.query<{ count: number }>('SELECT count(*)::int AS count FROM products');
      if ((rows[0]?.count ?? 0) === 0) throw new Error('the seeded catalog is empty');
    },
    'product espresso-1kg exists': async (params) => {
      const productId = stringParam(params, 'productId');
      const answer = await inventory.app.inject({ method: 'GET', url: `/products/${productId}`, headers });
      expectStatus(`product ${productId}`, answer.statusCode, 200, answer.body);
    },
    'product no-such-product does not exist': async (params) => {
      await pool.query('DELETE FROM products WHERE id = $1', [stringParam(params, 'productId')]);
    },
    'product espresso-1kg is in stock': stockState(pool),
    'product espresso-1kg is out of stock': stockState(pool),
    'order c0ffee00-0000-4000-8000-000000000004 has reserved stock': async (params) => {
      const orderId = stringParam(params, 'orderId');
      await setStock(pool, 'espresso-1kg', 10);
      const answer = await inventory.app.inject({
        method: 'PUT',
        url: `/reservations/${orderId}`,
        headers,
        payload: JSON.stringify({ items: [{ productId: 'espresso-1kg', quantity: 1 }] }),
      });
      expectStatus(`reservation of ${orderId}`, answer.statusCode, 200, answer.body);
    },
    'order c0ffee00-0000-4000-8000-000000000005 has no reservation': async (params) => {
      await pool.query('DELETE FROM reservations WHERE order_id = $1', [stringParam(params, 'orderId')]);
    },
  };
}
