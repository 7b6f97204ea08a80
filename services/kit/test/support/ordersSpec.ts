/** A small OpenAPI 3.1 document in the shape of the reference services' specs (local $refs kept). */
export const ordersSpec = {
  openapi: '3.1.0',
  info: { title: 'Orders (test)', version: '1.0.0' },
  security: [{ serviceToken: [] }],
  paths: {
    '/orders': {
      post: {
        operationId: 'placeOrder',
        parameters: [{ $ref: '#/components/parameters/IdempotencyKey' }],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/PlaceOrderRequest' } } },
        },
        responses: { '201': { description: 'created' } },
      },
    },
    '/orders/{orderId}': {
      parameters: [{ name: 'orderId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
      get: {
        operationId: 'getOrder',
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 50, default: 10 } },
          { name: 'tag', in: 'query', schema: { type: 'array', items: { type: 'string' } } },
        ],
        responses: { '200': { description: 'ok' } },
      },
    },
    '/failures/{kind}': {
      get: {
        operationId: 'fail',
        parameters: [
          { name: 'kind', in: 'path', required: true, schema: { type: 'string', enum: ['bug', 'unavailable'] } },
        ],
        responses: { '503': { description: 'unavailable' } },
      },
    },
    '/public': { get: { operationId: 'getPublic', security: [], responses: { '204': { description: 'ok' } } } },
    '/health/live': { get: { operationId: 'getLiveness', security: [], responses: { '200': { description: 'ok' } } } },
    '/health/ready': {
      get: { operationId: 'getReadiness', security: [], responses: { '200': { description: 'ok' } } },
    },
  },
  components: {
    securitySchemes: { serviceToken: { type: 'apiKey', in: 'header', name: 'X-Service-Token' } },
    parameters: {
      IdempotencyKey: {
        name: 'Idempotency-Key',
        in: 'header',
        required: true,
        schema: { type: 'string', minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' },
      },
    },
    schemas: {
      PlaceOrderRequest: {
        type: 'object',
        additionalProperties: false,
        required: ['items'],
        properties: { items: { type: 'array', minItems: 1, items: { $ref: '#/components/schemas/LineItem' } } },
      },
      LineItem: {
        type: 'object',
        additionalProperties: false,
        required: ['productId', 'quantity'],
        properties: {
          productId: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,63}$' },
          quantity: { type: 'integer', minimum: 1, maximum: 100 },
        },
      },
    },
  },
};
