/**
 * Request-level faults, injected by the tap in front of an HTTP or gRPC link: what Toxiproxy cannot do,
 * since it only sees TCP. A fault answers a status itself (the request never reaches the
 * dependency), delays the request, drops the connection before forwarding, forwards it and cuts
 * the answer mid-body (the work is done, the answer lost), or hangs until the caller gives up —
 * for the requests its selector picks.
 */
export type RequestFaultAction =
  /**
   * The tap answers this status (a problem+json body, `Retry-After` when given); the dependency never
   * sees the request. On a gRPC link the tap answers a trailers-only gRPC response instead: `grpcStatus`
   * (1..16), by default the gRPC status of `status` (`grpcStatusOfHttp`: 503 → UNAVAILABLE, …).
   */
  | { kind: 'status'; status: number; retryAfterS?: number; grpcStatus?: number }
  /** The request is forwarded after this delay. */
  | { kind: 'delay'; delayMs: number }
  /** The connection is closed before the request is forwarded (the caller sees a reset). */
  | { kind: 'drop' }
  /** The request is forwarded; the answer's head and part of its body go back, then the connection is cut. */
  | { kind: 'drop-mid-body' }
  /** No answer and no forwarding: the request hangs until the caller gives up or the fault is lifted. */
  | { kind: 'hang' };

/** Which requests a fault hits (all conditions must hold; none: every request). */
export interface RequestSelector {
  method?: string;
  /** A path prefix (`/charges`), or a pattern with `*` for one segment (`/charges/*\/refunds`). */
  path?: string;
  /** A header that must be present with this value (`{ name: 'x-tenant', value: 'a' }`), or present at all without `value`. */
  header?: { name: string; value?: string };
  /** Only the first N matching requests (per Idempotency-Key with `perKey`). */
  first?: number;
  /** Every Nth matching request (the Nth, 2Nth, …; per Idempotency-Key with `perKey`). */
  every?: number;
  /** This share (0 < s ≤ 1) of matching requests, drawn from a generator seeded by the run's seed and the fault id. */
  share?: number;
  /** `first` and `every` count per Idempotency-Key: "fail the first two attempts of every charge". */
  perKey?: boolean;
}

export interface RequestFaultSpec {
  action: RequestFaultAction;
  select?: RequestSelector;
}

/** What a tap needs to know of a request to decide. */
export interface RequestFacts {
  method: string;
  path: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** Problems with a request fault's spec, one line each (empty when valid). */
export function requestFaultProblems(spec: RequestFaultSpec): string[] {
  const problems: string[] = [];
  const { action, select = {} } = spec;
  switch (action.kind) {
    case 'status':
      if (!(Number.isInteger(action.status) && action.status >= 400 && action.status <= 599))
        problems.push('status must be an HTTP error status (400..599)');
      if (action.retryAfterS !== undefined && !(Number.isInteger(action.retryAfterS) && action.retryAfterS >= 0))
        problems.push('retryAfterS must be a whole number of seconds ≥ 0');
      if (
        action.grpcStatus !== undefined &&
        !(Number.isInteger(action.grpcStatus) && action.grpcStatus >= 1 && action.grpcStatus <= 16)
      )
        problems.push('grpcStatus must be a gRPC error status (1..16)');
      break;
    case 'delay':
      if (!(action.delayMs > 0 && action.delayMs <= 60_000)) problems.push('delayMs must be in (0, 60000]');
      break;
    case 'drop':
    case 'drop-mid-body':
    case 'hang':
      break;
    default:
      problems.push(`unknown action ${(action as { kind: string }).kind}`);
  }
  if (select.first !== undefined && !(Number.isInteger(select.first) && select.first >= 1))
    problems.push('select.first must be an integer ≥ 1');
  if (select.every !== undefined && !(Number.isInteger(select.every) && select.every >= 1))
    problems.push('select.every must be an integer ≥ 1');
  if (select.share !== undefined && !(select.share > 0 && select.share <= 1))
    problems.push('select.share must be in (0, 1]');
  if (select.perKey && select.first === undefined && select.every === undefined)
    problems.push('select.perKey needs first or every');
  if (select.path !== undefined && !select.path.startsWith('/')) problems.push('select.path must start with /');
  return problems;
}

/** mulberry32: a small seeded generator, so a share picks the same requests for the same seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

function pathMatches(pattern: string, path: string): boolean {
  const bare = path.split('?')[0] ?? path;
  if (!pattern.includes('*')) return bare.startsWith(pattern);
  const want = pattern.split('/');
  const got = bare.split('/');
  return want.length <= got.length && want.every((part, index) => part === '*' || part === got[index]);
}

function headerValue(facts: RequestFacts, name: string): string | undefined {
  const value = facts.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * A fault's decision function: called once per request, in arrival order, it says whether the
 * fault hits it. Deterministic for a seed: the same requests in the same order get the same answers.
 */
export function requestSelector(id: string, select: RequestSelector = {}, seed = 0): (facts: RequestFacts) => boolean {
  const random = seededRandom(hash(`${seed}:${id}`));
  const counts = new Map<string, number>();
  return (facts) => {
    if (select.method !== undefined && facts.method.toUpperCase() !== select.method.toUpperCase()) return false;
    if (select.path !== undefined && !pathMatches(select.path, facts.path)) return false;
    if (select.header !== undefined) {
      const value = headerValue(facts, select.header.name);
      if (value === undefined || (select.header.value !== undefined && value !== select.header.value)) return false;
    }
    const group = select.perKey ? (headerValue(facts, 'idempotency-key') ?? '') : '';
    const n = (counts.get(group) ?? 0) + 1;
    counts.set(group, n);
    if (select.first !== undefined && n > select.first) return false;
    if (select.every !== undefined && n % select.every !== 0) return false;
    if (select.share !== undefined && random() >= select.share) return false;
    return true;
  };
}

/** One line for the journal and the log: `status 503 (Retry-After 1 s) for the first 2 per key of POST /charges`. */
export function describeRequestFault(spec: RequestFaultSpec): string {
  const { action, select = {} } = spec;
  const what =
    action.kind === 'status'
      ? `status ${action.status}${action.grpcStatus === undefined ? '' : ` (grpc-status ${action.grpcStatus})`}${action.retryAfterS === undefined ? '' : ` (Retry-After ${action.retryAfterS} s)`}`
      : action.kind === 'delay'
        ? `delay ${action.delayMs} ms`
        : action.kind;
  const which = [
    select.first !== undefined ? `the first ${select.first}` : undefined,
    select.every !== undefined ? `every ${select.every}th` : undefined,
    select.share !== undefined ? `${Math.round(select.share * 100)} %` : undefined,
  ].filter(Boolean);
  const scope = [select.method, select.path].filter(Boolean).join(' ');
  return `${what} for ${which.length > 0 ? which.join(', ') : 'every'}${select.perKey ? ' per key' : ''} request${scope ? ` of ${scope}` : ''}${select.header ? ` with ${select.header.name}` : ''}`;
}
