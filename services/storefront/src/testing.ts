// What the reference system's contract tests (pact/) use of the storefront: the page's real
// gateway client code. Nothing outside services/ reaches into src/ otherwise (a lint rule).
export { createGatewayClient } from './web/gatewayClient.ts';
export { readOrderViewOverGraphql } from './web/graphqlOrderView.ts';
export { readOrderView } from './web/orderTracking.ts';
export { placeOrder } from './web/placeOrder.ts';
export { createService, type StorefrontService, type StorefrontServiceOverrides } from './service.ts';
