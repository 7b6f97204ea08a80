import protobuf from 'protobufjs';

/** The idempotency levels (google.protobuf.MethodOptions) that let a caller send a call again. */
const RETRY_SAFE = new Set(['NO_SIDE_EFFECTS', 'IDEMPOTENT']);

/**
 * The method paths (`/harness.inventory.v1.StockLevelService/GetStockLevels`) of a gRPC service
 * whose proto marks them `option idempotency_level = NO_SIDE_EFFECTS` or `IDEMPOTENT`: calls a
 * caller may retry without an idempotency key, as a GET on an HTTP link. Read from the link's
 * contract, the same file both ends are generated from.
 */
export function idempotentGrpcMethods(protoFile: string, service: string): Set<string> {
  const definition = protobuf.loadSync(protoFile).lookupService(service);
  return new Set(
    Object.values(definition.methods)
      .filter((method) => RETRY_SAFE.has(String(method.options?.idempotency_level)))
      .map((method) => `/${service}/${method.name}`),
  );
}
