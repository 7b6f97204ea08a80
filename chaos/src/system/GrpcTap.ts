import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { requestSelector, type RequestFacts, type RequestFaultSpec } from '../faults/requestFaults.ts';
import { grpcStatusOfHttp, httpStatusOfGrpc } from './grpcHttpStatus.ts';
import type { LinkTap, TappedRequest } from './LinkTap.ts';

const { NGHTTP2_CANCEL, NGHTTP2_FLAG_END_STREAM, NGHTTP2_NO_ERROR } = http2.constants;

interface ActiveFault {
  id: string;
  spec: RequestFaultSpec;
  hits: (facts: RequestFacts) => boolean;
  /** Calls a `hang` fault holds open: their connections are cut when the fault is lifted. */
  held: Set<http2.ServerHttp2Stream>;
}

/**
 * The HTTP/2 counterpart of `HttpTap` for gRPC links: a recording h2c relay
 * (caller → front tap → Toxiproxy → tap → server). It forwards every call unchanged over one
 * HTTP/2 connection to its target (headers, messages, trailers) and records each attempt: method
 * path, traceparent (the kit sends its client span's on every attempt, so attempts group into
 * calls), timing, the grpc-status (and its HTTP equivalent, `status`, that the oracles judge).
 *
 * Request-level faults, as on HTTP links: `status` answers a trailers-only gRPC response (the
 * server never sees the call); `delay` forwards late; `drop` resets the caller's HTTP/2 connection
 * before forwarding (every call in flight on it fails, as with a TCP reset); `drop-mid-body` lets
 * the server answer, sends half of its answer and resets; `hang` holds the call until the caller
 * gives up or the fault is lifted.
 *
 * When the connection to the target is lost mid-call (a reset toxic, a killed server), the tap
 * resets the caller's connection in turn, so that the caller sees what it would see without the
 * tap (UNAVAILABLE); a tap behind Toxiproxy (`front: false`) answers a call it could not forward
 * UNAVAILABLE itself, as `HttpTap` answers 502.
 */
export class GrpcTap implements LinkTap {
  readonly link: string;
  readonly target: { host: string; port: number };
  readonly front: boolean;
  readonly #server: http2.Http2Server;
  readonly #sessions = new Set<http2.ServerHttp2Session>();
  #upstream: http2.ClientHttp2Session | undefined;
  #records: TappedRequest[] = [];
  #faults: ActiveFault[] = [];
  #port = 0;
  /** Method paths the link's proto marks idempotent (undefined: not known). */
  readonly #idempotentMethods: ReadonlySet<string> | undefined;

  constructor(
    link: string,
    target: { host: string; port: number },
    options: { front?: boolean; idempotentMethods?: ReadonlySet<string> } = {},
  ) {
    this.link = link;
    this.target = target;
    this.front = options.front === true;
    this.#idempotentMethods = options.idempotentMethods;
    this.#server = http2.createServer();
    this.#server.on('session', (session) => {
      this.#sessions.add(session);
      session.on('close', () => this.#sessions.delete(session));
      session.on('error', () => undefined);
    });
    this.#server.on('stream', (stream, headers) => this.#relay(stream, headers));
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', () => resolve());
    });
    this.#port = (this.#server.address() as AddressInfo).port;
    return this.address;
  }

  get address(): string {
    return `127.0.0.1:${this.#port}`;
  }

  records(sinceMs?: number): TappedRequest[] {
    return sinceMs === undefined ? [...this.#records] : this.#records.filter((r) => r.startMs >= sinceMs);
  }

  clear(): void {
    this.#records = [];
  }

  injectFault(id: string, spec: RequestFaultSpec, seed = 0): void {
    if (this.#faults.some((fault) => fault.id === id)) throw new Error(`request fault ${id} is already in force`);
    this.#faults.push({ id, spec, hits: requestSelector(id, spec.select, seed), held: new Set() });
  }

  liftFault(id: string): void {
    const fault = this.#faults.find((candidate) => candidate.id === id);
    this.#faults = this.#faults.filter((candidate) => candidate.id !== id);
    for (const stream of fault?.held ?? []) stream.session?.destroy();
  }

  liftAllFaults(): string[] {
    const ids = this.#faults.map((fault) => fault.id);
    for (const id of ids) this.liftFault(id);
    return ids;
  }

  hitsOf(id: string, sinceMs?: number): TappedRequest[] {
    return this.records(sinceMs).filter((record) => record.fault === id);
  }

  async close(): Promise<void> {
    this.liftAllFaults();
    this.#upstream?.destroy();
    for (const session of this.#sessions) session.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #relay(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
    stream.on('error', () => undefined);
    const record: TappedRequest = {
      link: this.link,
      method: headers[':method'] ?? 'POST',
      path: headers[':path'] ?? '/',
      idempotencyKey: headerText(headers['idempotency-key']),
      traceparent: headerText(headers.traceparent),
      startMs: Date.now(),
      endMs: 0,
      status: undefined,
      retryAfterMs: undefined,
      callerGone: false,
      callerGoneMs: undefined,
    };
    const path = record.path.split('?')[0] ?? record.path;
    if (this.#idempotentMethods !== undefined) record.idempotentByContract = this.#idempotentMethods.has(path);
    const done = (): void => {
      if (record.endMs !== 0) return;
      record.endMs = Date.now();
      this.#records.push(record);
    };
    const callerGone = (): void => {
      if (record.endMs !== 0) return;
      record.callerGone = true;
      record.callerGoneMs = Date.now();
      done();
    };
    const facts: RequestFacts = { method: record.method, path: record.path, headers };
    const fault = this.#faults.find((candidate) => candidate.hits(facts));
    if (fault) {
      record.fault = fault.id;
      const { action } = fault.spec;
      switch (action.kind) {
        case 'status': {
          stream.resume();
          const code = action.grpcStatus ?? grpcStatusOfHttp(action.status);
          record.grpcStatus = code;
          record.status = httpStatusOfGrpc(code);
          answerTrailersOnly(stream, code, `request-level fault ${fault.id} on link ${this.link}`);
          done();
          return;
        }
        case 'drop':
          done();
          stream.session?.destroy();
          return;
        case 'hang':
          fault.held.add(stream);
          stream.on('close', () => {
            fault.held.delete(stream);
            callerGone();
          });
          return;
        case 'delay': {
          const timer = setTimeout(() => this.#forward(stream, headers, record, done, false), action.delayMs);
          stream.on('close', () => {
            clearTimeout(timer);
            callerGone();
          });
          return;
        }
        case 'drop-mid-body':
          this.#forward(stream, headers, record, done, true);
          return;
      }
    }
    this.#forward(stream, headers, record, done, false);
  }

  /** Forwards the call to the target; `cutMidBody` sends the answer's headers and half its messages, then resets. */
  #forward(
    stream: http2.ServerHttp2Stream,
    headers: http2.IncomingHttpHeaders,
    record: TappedRequest,
    done: () => void,
    cutMidBody: boolean,
  ): void {
    if (stream.destroyed || stream.closed) {
      record.callerGone = true;
      record.callerGoneMs = Date.now();
      done();
      return;
    }
    const session = this.#session();
    const outgoing: http2.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(headers))
      if (name !== ':scheme' && value !== undefined) outgoing[name] = value;
    const upstream = session.request(outgoing);
    upstream.on('error', () => undefined);
    let finished = false;
    let trailers: http2.IncomingHttpHeaders | undefined;
    const body: Buffer[] = [];

    upstream.on('response', (head, flags) => {
      if (stream.destroyed || stream.closed) return;
      if ((flags & NGHTTP2_FLAG_END_STREAM) !== 0) {
        // Trailers-only: the status is in the headers and the call ends with them.
        finished = true;
        recordStatus(record, head);
        stream.respond(plainHeaders(head), { endStream: true });
        done();
        return;
      }
      stream.respond(plainHeaders(head), { waitForTrailers: true });
      if (cutMidBody) {
        upstream.on('data', (chunk: Buffer) => body.push(chunk));
        return;
      }
      upstream.pipe(stream);
    });
    upstream.on('trailers', (received) => {
      trailers = received;
      recordStatus(record, received);
    });
    upstream.on('end', () => {
      if (!cutMidBody || stream.destroyed) return;
      // The server did the work and answered; the caller gets half of it, then a reset.
      finished = true;
      const answer = Buffer.concat(body);
      stream.write(answer.subarray(0, Math.floor(answer.length / 2)), () => {
        done();
        stream.session?.destroy();
      });
    });
    stream.on('wantTrailers', () => {
      finished = true;
      stream.sendTrailers(trailers === undefined ? missingTrailers() : plainHeaders(trailers));
      done();
    });
    upstream.on('close', () => {
      // Trailers came: the answer is whole, and the caller gets it (and the trailers) as it drains.
      if (finished || trailers !== undefined || stream.destroyed || stream.closed) return;
      // The call to the target ended without an answer: connection lost, refused, or reset.
      done();
      setImmediate(() => {
        const lost = session.destroyed || session.closed;
        const reset = upstream.rstCode;
        if (!lost && reset !== undefined && reset !== NGHTTP2_NO_ERROR) stream.close(reset);
        else if (!this.front && !stream.headersSent)
          answerTrailersOnly(stream, 14, 'the tap could not reach the server');
        else stream.session?.destroy();
      });
    });
    stream.on('close', () => {
      if (finished) return;
      // The caller gave up (deadline, cancel) or its connection went: so does the call upstream.
      if (record.endMs === 0) {
        record.callerGone = true;
        record.callerGoneMs = Date.now();
        done();
      }
      if (!upstream.closed) upstream.close(NGHTTP2_CANCEL);
    });
    stream.pipe(upstream);
  }

  /** The HTTP/2 connection to the target: one, made again when it was lost. */
  #session(): http2.ClientHttp2Session {
    const current = this.#upstream;
    if (current !== undefined && !current.closed && !current.destroyed) return current;
    const session = http2.connect(`http://${this.target.host}:${this.target.port}`);
    session.on('error', () => undefined);
    const forget = (): void => {
      if (this.#upstream === session) this.#upstream = undefined;
    };
    session.on('close', forget);
    session.on('goaway', forget);
    this.#upstream = session;
    return session;
  }
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Only the named headers (not Node's symbol for sensitive ones). */
function plainHeaders(headers: http2.IncomingHttpHeaders): http2.OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== undefined));
}

function recordStatus(record: TappedRequest, headers: http2.IncomingHttpHeaders): void {
  const grpcStatus = headerText(headers['grpc-status']);
  if (grpcStatus !== undefined && /^\d+$/.test(grpcStatus)) {
    record.grpcStatus = Number(grpcStatus);
    record.status = httpStatusOfGrpc(record.grpcStatus);
    return;
  }
  const httpStatus = headers[':status'];
  if (typeof httpStatus === 'number' && httpStatus !== 200) record.status = httpStatus;
}

/** The trailers of an answer whose server sent none: a protocol error (INTERNAL), as a gRPC client reads it. */
function missingTrailers(): http2.OutgoingHttpHeaders {
  return { 'grpc-status': '13', 'grpc-message': encodeURIComponent('the server sent no trailers') };
}

function answerTrailersOnly(stream: http2.ServerHttp2Stream, code: number, message: string): void {
  if (stream.destroyed || stream.closed || stream.headersSent) return;
  stream.respond(
    {
      ':status': 200,
      'content-type': 'application/grpc',
      'grpc-status': String(code),
      'grpc-message': encodeURIComponent(message),
    },
    { endStream: true },
  );
}
