/** The parts of an OpenAPI 3.x document the app builder reads. */
export type JsonSchema = Record<string, unknown> | boolean;
type SecurityRequirement = Record<string, readonly string[]>;

export interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
}

interface RequestBodyObject {
  required?: boolean;
  content?: Record<string, { schema?: JsonSchema }>;
}

export interface ResponseObject {
  content?: Record<string, { schema?: JsonSchema }>;
}

export interface OpenApiDocument {
  openapi: string;
  paths?: Record<string, unknown>;
  components?: Record<string, unknown>;
  security?: SecurityRequirement[];
}

/** One operation of the document with its `$ref`s resolved and path-level parameters merged in. */
export interface OperationSpec {
  operationId: string;
  method: string;
  /** As in the document: `/orders/{orderId}`. */
  path: string;
  /** As Fastify routes it: `/orders/:orderId`. */
  routeUrl: string;
  parameters: ParameterObject[];
  requestBody: RequestBodyObject | undefined;
  /** Effective security requirements (operation-level, else document-level). */
  security: readonly SecurityRequirement[];
  /** Declared responses by status (`200`, `4XX`, `default`), `$ref`s resolved. */
  responses: Record<string, ResponseObject>;
}

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export function asOpenApiDocument(spec: object): OpenApiDocument {
  const candidate = spec as Partial<OpenApiDocument>;
  if (typeof candidate.openapi !== 'string' || !candidate.openapi.startsWith('3.')) {
    throw new Error('spec is not an OpenAPI 3.x document (missing "openapi": "3.x")');
  }
  return candidate as OpenApiDocument;
}

/** Follows local `$ref`s (`#/components/...`) until it reaches a value that is not a reference. */
function resolveRef<T>(doc: OpenApiDocument, value: T | { $ref: string }): T {
  let current: unknown = value;
  for (let hops = 0; isRef(current); hops++) {
    if (hops > 32) throw new Error(`$ref cycle at ${current.$ref}`);
    current = pointerGet(doc, current.$ref);
  }
  return current as T;
}

/**
 * The path of the document's first server URL, for `routePrefix`: `{origin}/api/v1` or
 * `http://host:8080/api/v1/` → `/api/v1`; `''` when the server URL has no path (or there is none).
 */
export function serverBasePath(spec: object): string {
  const url = (spec as { servers?: { url?: unknown }[] }).servers?.[0]?.url;
  if (typeof url !== 'string') return '';
  return url.replace(/^(\{[^}]+\}|[a-z][a-z0-9+.-]*:\/\/[^/]+)/i, '').replace(/\/+$/, '');
}

/** Every operation in the document, in document order. */
export function listOperations(doc: OpenApiDocument): OperationSpec[] {
  const operations: OperationSpec[] = [];
  for (const [path, rawItem] of Object.entries(doc.paths ?? {})) {
    const item = resolveRef<Record<string, unknown>>(doc, rawItem as Record<string, unknown>);
    const shared = resolveParameters(doc, item.parameters);
    for (const method of methods) {
      const operation = item[method] as Record<string, unknown> | undefined;
      if (!operation) continue;
      if (typeof operation.operationId !== 'string') {
        throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
      }
      const own = resolveParameters(doc, operation.parameters);
      const ownKeys = new Set(own.map((p) => `${p.in}:${p.name}`));
      operations.push({
        operationId: operation.operationId,
        method: method.toUpperCase(),
        path,
        routeUrl: path.replace(/\{([^}]+)\}/g, ':$1'),
        parameters: [...shared.filter((p) => !ownKeys.has(`${p.in}:${p.name}`)), ...own],
        requestBody:
          operation.requestBody === undefined
            ? undefined
            : resolveRef<RequestBodyObject>(doc, operation.requestBody as RequestBodyObject),
        security: (operation.security as SecurityRequirement[] | undefined) ?? doc.security ?? [],
        responses: Object.fromEntries(
          Object.entries((operation.responses as Record<string, unknown> | undefined) ?? {}).map(([status, value]) => [
            status,
            resolveRef<ResponseObject>(doc, value as ResponseObject),
          ]),
        ),
      });
    }
  }
  return operations;
}

function resolveParameters(doc: OpenApiDocument, value: unknown): ParameterObject[] {
  if (!Array.isArray(value)) return [];
  return value.map((entry: unknown) => resolveRef<ParameterObject>(doc, entry as ParameterObject));
}

function isRef(value: unknown): value is { $ref: string } {
  return typeof value === 'object' && value !== null && typeof (value as { $ref?: unknown }).$ref === 'string';
}

function pointerGet(doc: OpenApiDocument, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported (bundle the spec first): ${ref}`);
  let current: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    if (typeof current !== 'object' || current === null || !(key in current))
      throw new Error(`unresolvable $ref ${ref}`);
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
