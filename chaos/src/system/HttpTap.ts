import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One HTTP request that reached the dependency through a tap. */
export interface TappedRequest {
  /** The link (L4, L5, ...) the tap sits on. */
  link: string;
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  /** W3C traceparent: every attempt of one client call carries the same one (the kit injects it once). */
  traceparent: string | undefined;
  startMs: number;
  endMs: number;
  /** The dependency's status, or undefined when forwarding failed. */
  status: number | undefined;
  /** The Retry-After the dependency asked for (delta-seconds, in ms), if any. */
  retryAfterMs: number | undefined;
  /** The caller's connection closed before the answer was written back (timeout, reset toxic). */
  callerGone: boolean;
  /** When the caller went away, if it did: the end of the call as the caller saw it. */
  callerGoneMs: number | undefined;
}

/**
 * A recording HTTP relay between a Toxiproxy proxy and the service behind it:
 * caller → Toxiproxy (toxics) → tap → service. It forwards every request unchanged and records
 * what reached the service (method, path, Idempotency-Key, traceparent, timing, status). That is
 * the ground truth the oracles check the services' own resilience logs against: which calls
 * reached a dependency while its breaker was open, how many attempts one call made and whether a
 * retried POST carried a key, how many calls were in flight at once.
 */
export class HttpTap {
  readonly link: string;
  readonly target: { host: string; port: number };
  readonly #server: http.Server;
  readonly #agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  #records: TappedRequest[] = [];
  #port = 0;

  /**
   * `front`: the tap sits in front of Toxiproxy (caller → tap → Toxiproxy → service), so it sees
   * every attempt the caller makes, including those a fault kills: an upstream connection error
   * resets the caller's connection (instead of answering 502), and a caller that gives up ends the
   * attempt there and then (recorded at once, the upstream request abandoned).
   */
  readonly front: boolean;

  constructor(link: string, target: { host: string; port: number }, options: { front?: boolean } = {}) {
    this.link = link;
    this.target = target;
    this.front = options.front === true;
    this.#server = http.createServer((request, response) => this.#relay(request, response));
    this.#server.keepAliveTimeout = 30_000;
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

  /** Requests recorded since `sinceMs` (all when undefined), in arrival order. */
  records(sinceMs?: number): TappedRequest[] {
    return sinceMs === undefined ? [...this.#records] : this.#records.filter((r) => r.startMs >= sinceMs);
  }

  clear(): void {
    this.#records = [];
  }

  async close(): Promise<void> {
    this.#agent.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #relay(request: http.IncomingMessage, response: http.ServerResponse): void {
    const record: TappedRequest = {
      link: this.link,
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      idempotencyKey: headerOf(request, 'idempotency-key'),
      traceparent: headerOf(request, 'traceparent'),
      startMs: Date.now(),
      endMs: 0,
      status: undefined,
      retryAfterMs: undefined,
      callerGone: false,
      callerGoneMs: undefined,
    };
    const done = (): void => {
      if (record.endMs !== 0) return;
      record.endMs = Date.now();
      this.#records.push(record);
    };
    const upstream = http.request(
      {
        host: this.target.host,
        port: this.target.port,
        method: request.method,
        path: request.url,
        headers: request.headers,
        agent: this.#agent,
      },
      (answer) => {
        record.status = answer.statusCode;
        const retryAfter = answer.headers['retry-after'];
        if (typeof retryAfter === 'string' && /^\d+$/.test(retryAfter.trim()))
          record.retryAfterMs = Number(retryAfter) * 1000;
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
        answer.on('end', done);
        answer.on('error', done);
      },
    );
    upstream.on('error', () => {
      done();
      if (!response.headersSent && !this.front) response.writeHead(502).end();
      else response.destroy();
    });
    response.on('close', () => {
      if (response.writableFinished) return;
      record.callerGone = true;
      record.callerGoneMs = Date.now();
      if (this.front) {
        done();
        upstream.destroy();
      }
    });
    request.pipe(upstream);
  }
}

function headerOf(request: http.IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
