import { context, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import type pg from 'pg';
import { kitTracer, SpanKind } from '../observability/tracing.ts';

type QueryFunction = (...args: unknown[]) => unknown;

/** Longest SQL text kept on a span. */
const MAX_QUERY_TEXT = 1_000;

/**
 * Makes each query of the pool a CLIENT span (`db.system.name` postgresql, the SQL text, the
 * statement name for prepared ones): `pool.query` and the queries of clients checked out with
 * `pool.connect()`. Only inside a recorded span: polls that run on their own (the outbox relay's
 * claim, the recovery worker's scan, health checks) make no trace of their own. Returns the pool.
 */
export function traceQueries(pool: pg.Pool): pg.Pool {
  const poolQuery = pool.query.bind(pool) as QueryFunction;
  const poolConnect = pool.connect.bind(pool) as (callback?: unknown) => unknown;
  Object.assign(pool, {
    query: tracedQuery(poolQuery),
    // pool.query checks out its client with a callback: only the promise form is a caller's.
    connect: (callback?: unknown) => {
      if (callback !== undefined) return poolConnect(callback);
      return (poolConnect() as Promise<pg.PoolClient>).then(traceCheckedOutClient);
    },
  });
  return pool;
}

/** Traces a checked-out client's queries until it goes back to the pool. */
function traceCheckedOutClient(client: pg.PoolClient): pg.PoolClient {
  const release = client.release;
  const ownQuery = Object.getPrototypeOf(client).query as QueryFunction;
  Object.assign(client, {
    query: tracedQuery(ownQuery.bind(client) as QueryFunction),
    release: (error?: Error | boolean) => {
      // The pool hands the client out again later, maybe to its own `query`: untraced there.
      delete (client as { query?: unknown }).query;
      return release(error);
    },
  });
  return client;
}

function tracedQuery(run: QueryFunction): QueryFunction {
  return (...args: unknown[]) => {
    const parent = context.active();
    const first = args[0];
    if (!trace.getSpan(parent)?.isRecording() || isSubmittable(first)) return run(...args);
    const span = startQuerySpan(first, parent);
    const last = args.at(-1);
    if (typeof last === 'function') {
      args[args.length - 1] = (error: unknown, result: unknown) => {
        endQuerySpan(span, error);
        return (last as (error: unknown, result: unknown) => unknown)(error, result);
      };
      return run(...args);
    }
    let pending: unknown;
    try {
      pending = run(...args);
    } catch (error) {
      endQuerySpan(span, error);
      throw error;
    }
    void (pending as Promise<unknown>).then(
      () => endQuerySpan(span, undefined),
      (error: unknown) => endQuerySpan(span, error),
    );
    return pending;
  };
}

function startQuerySpan(query: unknown, parent: Context): Span {
  const config = typeof query === 'object' && query !== null ? (query as { text?: unknown; name?: unknown }) : {};
  const text = typeof query === 'string' ? query : typeof config.text === 'string' ? config.text : '';
  const operation = /^\s*([a-z]+)/i.exec(text)?.[1]?.toUpperCase() ?? 'QUERY';
  const statement = typeof config.name === 'string' ? config.name : undefined;
  return kitTracer().startSpan(
    statement ?? operation,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'db.system.name': 'postgresql',
        'db.operation.name': operation,
        'db.query.text': text.length > MAX_QUERY_TEXT ? `${text.slice(0, MAX_QUERY_TEXT)}…` : text,
        ...(statement === undefined ? {} : { 'db.statement.name': statement }),
      },
    },
    parent,
  );
}

function endQuerySpan(span: Span, error: unknown): void {
  if (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  }
  span.end();
}

function isSubmittable(query: unknown): boolean {
  return typeof query === 'object' && query !== null && typeof (query as { submit?: unknown }).submit === 'function';
}
