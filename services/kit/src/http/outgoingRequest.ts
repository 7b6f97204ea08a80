/**
 * What openapi-fetch builds for every call when it is given this class as its `Request`: the URL,
 * method, headers, serialized body and signal, kept as they are. Unlike a WHATWG Request it makes
 * no body stream, so the kit's transport sends the body as is and resends the same bytes on a
 * retry without cloning or teeing anything.
 */
export class OutgoingRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: NonNullable<RequestInit['body']> | null;
  readonly signal: AbortSignal | undefined;

  constructor(input: string | URL, init: RequestInit = {}) {
    this.url = typeof input === 'string' ? input : input.href;
    this.method = (init.method ?? 'GET').toUpperCase();
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
    this.body = init.body ?? null;
    this.signal = init.signal ?? undefined;
  }
}

/** The request parts a transport sends: plain header record (lower-case names), body bytes or text. */
export interface RequestParts {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
}

/** Reads a WHATWG Request or an OutgoingRequest once into parts that can be sent several times. */
export async function requestPartsOf(request: Request | OutgoingRequest): Promise<RequestParts> {
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => (headers[name] = value));
  return { url: request.url, method: request.method.toUpperCase(), headers, body: await bodyOf(request) };
}

async function bodyOf(request: Request | OutgoingRequest): Promise<string | Uint8Array | undefined> {
  if (request instanceof OutgoingRequest) {
    const { body } = request;
    if (body === null) return undefined;
    if (typeof body === 'string' || body instanceof Uint8Array) return body;
    if (body instanceof ArrayBuffer) return new Uint8Array(body);
    return new Uint8Array(await new Response(body).arrayBuffer());
  }
  return request.body === null ? undefined : new Uint8Array(await request.arrayBuffer());
}
