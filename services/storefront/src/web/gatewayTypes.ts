// Names for the generated gateway types the page uses. Never written by hand: they come from
// contracts/openapi/gateway.yaml through `npm run generate -w @harness/contracts`.
import type { components, paths } from '@harness/contracts/openapi/gateway';

export type GatewayPaths = paths;
export type Product = components['schemas']['Product'];
export type Order = components['schemas']['Order'];
export type OrderView = components['schemas']['OrderView'];
export type Notification = components['schemas']['Notification'];
export type LineItem = components['schemas']['LineItem'];
export type PlaceOrderRequest = components['schemas']['PlaceOrderRequest'];
export type Problem = components['schemas']['Problem'];
export type OrderUnavailableProblem = components['schemas']['OrderUnavailableProblem'];
