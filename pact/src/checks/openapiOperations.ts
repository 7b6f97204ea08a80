import fs from 'node:fs';

/** One operation of an OpenAPI document, with its full path (server base path included). */
export interface OpenapiOperation {
  operationId: string;
  method: string;
  /** e.g. `/api/v1/orders/{orderId}` */
  path: string;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The path part of a server URL (`{origin}/api/v1` → `/api/v1`, `http://localhost:3001` → ``). */
function serverBasePath(servers: unknown): string {
  if (!Array.isArray(servers) || !isObject(servers[0]) || typeof servers[0]['url'] !== 'string') return '';
  const url = servers[0]['url'].replace(/^\{[^}]+\}/, '').replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  return url.replace(/\/+$/, '');
}

/** Every operation of a bundled OpenAPI document (path-level servers override the document's). */
export function openapiOperations(document: Json): OpenapiOperation[] {
  const base = serverBasePath(document['servers']);
  const paths = isObject(document['paths']) ? document['paths'] : {};
  const operations: OpenapiOperation[] = [];
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    const prefix = item['servers'] === undefined ? base : serverBasePath(item['servers']);
    for (const method of METHODS) {
      const operation = item[method];
      if (!isObject(operation) || typeof operation['operationId'] !== 'string') continue;
      operations.push({
        operationId: operation['operationId'],
        method: method.toUpperCase(),
        path: `${prefix}${path}`,
      });
    }
  }
  return operations;
}

/**
 * The document with every path written in full (server base path included) and the servers
 * dropped: swagger-mock-validator matches OpenAPI 3 paths as written and ignores `servers`, so a
 * spec served under `/api/v1` would match no request of its pacts otherwise.
 */
export function mountedDocument(document: Json): Json {
  const base = serverBasePath(document['servers']);
  const paths = isObject(document['paths']) ? document['paths'] : {};
  const mounted: Json = {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    const prefix = item['servers'] === undefined ? base : serverBasePath(item['servers']);
    const { servers: _servers, ...rest } = item;
    mounted[`${prefix}${path}`] = rest;
  }
  const { servers: _servers, ...rest } = document;
  return { ...rest, paths: mounted };
}

export function readOpenapiDocument(file: string): Json {
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!isObject(parsed) || typeof parsed['openapi'] !== 'string') throw new Error(`${file} is not an OpenAPI document`);
  return parsed;
}

/** True when a concrete request path fits a path template (`/orders/{orderId}`). */
export function pathMatchesTemplate(path: string, template: string): boolean {
  const pattern = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}$`).test(path.split('?')[0] ?? path);
}
