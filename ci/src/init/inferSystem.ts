/**
 * What `harness init` can tell from a folder of specs (and pact files, if any): one service per
 * OpenAPI document, message links from AsyncAPI operations that name their service, HTTP links from
 * pact files, GraphQL links from pact files with GraphQL requests (POST …/graphql with a query) to a
 * provider whose SDL is `<provider>.graphql` in the folder. Pure: it works on parsed documents; reading the folder is `scanSpecs`.
 */
export interface SpecDocument {
  /** Path relative to where the config will be written. */
  file: string;
  doc: Record<string, unknown>;
}

export interface PactDocument {
  consumer: string;
  provider: string;
  /** Message pacts (Asynchronous/Messages interactions, or V3 `messages`). */
  messages: string[];
  /** Has HTTP interactions other than GraphQL requests. */
  http: boolean;
  /** Has GraphQL requests (HTTP POST to a `/graphql` path with a `query`). */
  graphql?: boolean;
}

interface InferredService {
  name: string;
  openapi?: string;
  description?: string;
  /** Takes part in a message link. */
  broker: boolean;
}

interface InferredLink {
  id: string;
  kind: 'http' | 'graphql' | 'amqp';
  from: string;
  to: string;
  contract: { openapi: string } | { graphql: string } | { asyncapi: string; messages: string[] };
  /** Where the link came from, written as a comment. */
  source: string;
}

export interface InferredSystem {
  services: InferredService[];
  links: InferredLink[];
  /** What could not be inferred, written as TODO comments. */
  todos: string[];
}

/** A service name from a title or file name: lower-case words joined by dashes. */
export function serviceNameOf(text: string): string {
  const slug = text
    .replace(/\.(ya?ml|json|graphql|gql)$/i, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/-(api|service)$/, '');
  return /^[a-z]/.test(slug) ? slug : `service-${slug || 'x'}`;
}

export function inferSystem(
  openapi: readonly SpecDocument[],
  asyncapi: readonly SpecDocument[],
  pacts: readonly PactDocument[],
  /** GraphQL SDL files (paths relative to the config), each named after its provider. */
  graphqlSchemas: readonly string[] = [],
): InferredSystem {
  const services = new Map<string, InferredService>();
  const todos: string[] = [];
  const service = (name: string): InferredService => {
    const existing = services.get(name);
    if (existing) return existing;
    const created: InferredService = { name, broker: false };
    services.set(name, created);
    return created;
  };
  const openapiOf = new Map<string, string>();
  for (const spec of openapi) {
    const info = (spec.doc.info ?? {}) as { title?: string; 'x-service'?: string };
    const named = (spec.doc['x-service'] as string | undefined) ?? info['x-service'];
    const name = serviceNameOf(named ?? spec.file.split('/').pop() ?? spec.file);
    const entry = service(name);
    entry.openapi = spec.file;
    if (info.title) entry.description = info.title;
    openapiOf.set(name, spec.file);
  }

  const links: InferredLink[] = [];
  const nextId = (): string => `L${links.length + 1}`;
  for (const pact of pacts) {
    if (!pact.http) continue;
    const spec = openapiOf.get(pact.provider);
    if (!spec) {
      todos.push(
        `pact ${pact.consumer} → ${pact.provider}: no OpenAPI document for "${pact.provider}"; add its link by hand`,
      );
      continue;
    }
    service(pact.consumer);
    links.push({
      id: nextId(),
      kind: 'http',
      from: pact.consumer,
      to: pact.provider,
      contract: { openapi: spec },
      source: `pact ${pact.consumer}-${pact.provider}`,
    });
  }

  for (const pact of pacts) {
    if (!pact.graphql) continue;
    const sdl = graphqlSchemas.find((file) => serviceNameOf(file.split('/').at(-1) ?? '') === pact.provider);
    if (!sdl) {
      todos.push(
        `pact ${pact.consumer} → ${pact.provider}: GraphQL requests but no ${pact.provider}.graphql SDL; add its link by hand`,
      );
      continue;
    }
    service(pact.consumer);
    service(pact.provider);
    links.push({
      id: nextId(),
      kind: 'graphql',
      from: pact.consumer,
      to: pact.provider,
      contract: { graphql: sdl },
      source: `GraphQL requests in pact ${pact.consumer}-${pact.provider}`,
    });
  }

  for (const spec of asyncapi) {
    const operations = Object.values((spec.doc.operations ?? {}) as Record<string, AsyncOperation>);
    const senders = operations.filter((op) => op.action === 'send');
    const receivers = operations.filter((op) => op.action === 'receive');
    for (const op of [...senders, ...receivers])
      if (!op['x-service'])
        todos.push(`${spec.file}: operation on ${refName(op.channel?.$ref) ?? '?'} names no service (add x-service)`);
    for (const sender of senders) {
      for (const receiver of receivers) {
        const from = sender['x-service'];
        const to = receiver['x-service'];
        if (!from || !to || refName(sender.channel?.$ref) !== refName(receiver.channel?.$ref)) continue;
        const sent = new Set((sender.messages ?? []).map((message) => refName(message.$ref)));
        const messages = (receiver.messages ?? [])
          .map((message) => refName(message.$ref))
          .filter((name): name is string => name !== undefined && (sent.size === 0 || sent.has(name)));
        if (messages.length === 0) continue;
        service(serviceNameOf(from)).broker = true;
        service(serviceNameOf(to)).broker = true;
        links.push({
          id: nextId(),
          kind: 'amqp',
          from: serviceNameOf(from),
          to: serviceNameOf(to),
          contract: { asyncapi: spec.file, messages },
          source: `${spec.file}: ${from} sends, ${to} receives`,
        });
      }
    }
  }
  if (!links.some((link) => link.kind === 'http'))
    todos.push(
      'no HTTP link could be inferred (no pact files): add one { id, kind: "http", from, to, contract } per caller → provider',
    );
  return { services: [...services.values()], links, todos };
}

interface AsyncOperation {
  action?: string;
  'x-service'?: string;
  channel?: { $ref?: string };
  messages?: Array<{ $ref?: string }>;
}

/** The last segment of a `$ref` (`#/channels/orderEvents/messages/OrderConfirmed` → `OrderConfirmed`). */
const refName = (ref: string | undefined): string | undefined => ref?.split('/').pop();
