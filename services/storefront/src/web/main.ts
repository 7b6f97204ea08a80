/// <reference lib="dom" />
// Browser entry of the storefront (bundled by Vite): load /config.json, create the generated
// gateway client, start the page; orders are followed over GraphQL (the generated OrderView operation).
import { h } from './dom.ts';
import { createGatewayClient } from './gatewayClient.ts';
import { readOrderViewOverGraphql } from './graphqlOrderView.ts';
import { fetchStorefrontConfig } from './storefrontConfig.ts';
import { findStorefrontElements, startStorefront } from './storefront.ts';

const elements = findStorefrontElements();
try {
  const config = await fetchStorefrontConfig();
  startStorefront(createGatewayClient(config), elements, {
    readOrder: (orderId, signal) =>
      readOrderViewOverGraphql({ ...config, gatewayUrl: config.graphqlUrl ?? config.gatewayUrl }, orderId, signal),
  });
} catch (error) {
  const reason = error instanceof Error ? error.message : String(error);
  elements.productList.textContent = '';
  elements.status.replaceChildren(
    h(
      'span',
      { class: 'error', 'data-testid': 'error-message' },
      `The storefront could not start: ${reason}. Reload the page.`,
    ),
  );
}
