import fs from 'node:fs';

/** The parts of a Pact V4 file the stage reads (the format is owned by pact-foundation). */
interface ProviderStateEntry {
  name: string;
  params?: Record<string, unknown>;
}

interface Body {
  content?: unknown;
  contentType?: string;
  encoded?: boolean | string;
}

export interface HttpInteraction {
  type: 'Synchronous/HTTP';
  description: string;
  providerStates?: ProviderStateEntry[];
  request: {
    method: string;
    path: string;
    query?: Record<string, string[]>;
    headers?: Record<string, string[]>;
    body?: Body;
  };
  response: { status: number; headers?: Record<string, string[]>; body?: Body };
}

export interface MessageInteraction {
  type: 'Asynchronous/Messages';
  description: string;
  providerStates?: ProviderStateEntry[];
  contents: Body;
  metadata?: Record<string, unknown>;
}

interface OtherInteraction {
  type: string;
  description: string;
  providerStates?: ProviderStateEntry[];
}

export type Interaction = HttpInteraction | MessageInteraction | OtherInteraction;

export interface PactDocument {
  consumer: { name: string };
  provider: { name: string };
  interactions: Interaction[];
  metadata?: { pactSpecification?: { version?: string } };
}

export const isHttpInteraction = (interaction: Interaction): interaction is HttpInteraction =>
  interaction.type === 'Synchronous/HTTP';

export const isMessageInteraction = (interaction: Interaction): interaction is MessageInteraction =>
  interaction.type === 'Asynchronous/Messages';

/** An HTTP interaction that carries a GraphQL request: POST to a `/graphql` path with a `query` string. */
export function isGraphqlInteraction(interaction: Interaction): interaction is HttpInteraction {
  // A hand-made or damaged file may lack the request: then it is no GraphQL request.
  const request = isHttpInteraction(interaction) ? (interaction as Partial<HttpInteraction>).request : undefined;
  if (!request) return false;
  const content = request.body?.content;
  return (
    request.method.toUpperCase() === 'POST' &&
    /\/graphql$/.test(request.path) &&
    typeof content === 'object' &&
    content !== null &&
    typeof (content as { query?: unknown }).query === 'string'
  );
}

/**
 * Does a link of this kind own the interaction? Links of one pair share one Pact V4 file, as Pact
 * keys a pact by consumer and provider (gateway calls order and consumes order's events; the
 * storefront calls the gateway over REST and over GraphQL): a GraphQL link owns the GraphQL
 * requests, an HTTP link the other HTTP interactions, a message link the messages.
 */
export function ownsInteraction(kind: string, interaction: Interaction): boolean {
  if (kind === 'graphql') return isGraphqlInteraction(interaction);
  if (kind === 'http') return isHttpInteraction(interaction) && !isGraphqlInteraction(interaction);
  return isMessageInteraction(interaction);
}

/** The interactions one link owns in its pair's pact file (see ownsInteraction). */
export function interactionsOfKind(pact: PactDocument, kind: string): Interaction[] {
  return pact.interactions.filter((interaction) => ownsInteraction(kind, interaction));
}

/** The pact with only the interactions of one link kind (the same document when nothing else is in it). */
export function pactOfKind(pact: PactDocument, kind: string): PactDocument {
  const own = interactionsOfKind(pact, kind);
  return own.length === pact.interactions.length ? pact : { ...pact, interactions: own };
}

export class PactFileError extends Error {
  readonly file: string;
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'PactFileError';
    this.file = file;
  }
}

/** Reads and shape-checks a pact file; a missing, unreadable or non-V4 file throws PactFileError. */
export function readPactFile(file: string): PactDocument {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new PactFileError(file, 'pact file is missing');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new PactFileError(file, `not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isPactDocument(parsed)) throw new PactFileError(file, 'not a pact file (consumer, provider, interactions)');
  const version = parsed.metadata?.pactSpecification?.version ?? '';
  if (!version.startsWith('4')) throw new PactFileError(file, `expected Pact specification 4.x, found "${version}"`);
  return parsed;
}

function isPactDocument(value: unknown): value is PactDocument {
  if (typeof value !== 'object' || value === null) return false;
  const doc = value as Record<string, unknown>;
  const named = (part: unknown): boolean =>
    typeof part === 'object' && part !== null && typeof (part as { name?: unknown }).name === 'string';
  return (
    named(doc['consumer']) &&
    named(doc['provider']) &&
    Array.isArray(doc['interactions']) &&
    doc['interactions'].every(
      (interaction: unknown) =>
        typeof interaction === 'object' &&
        interaction !== null &&
        typeof (interaction as { description?: unknown }).description === 'string' &&
        typeof (interaction as { type?: unknown }).type === 'string',
    )
  );
}

/** Every provider state a pact names, once each. */
export function providerStatesOf(pact: PactDocument): string[] {
  return [
    ...new Set(pact.interactions.flatMap((interaction) => (interaction.providerStates ?? []).map((s) => s.name))),
  ];
}
