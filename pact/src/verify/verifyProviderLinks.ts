import '../pactEnvironment.ts';
import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { Verifier, type MessageProviders, type VerifierOptions } from '@pact-foundation/pact';
import { REPO_ROOT, type ServiceName } from '@harness/runtime';
import { contractReportsDir, repoLayout, type ContractsLayout } from '../layout.ts';
import { pactFilePath, pactLinks, type PactLink } from '../links.ts';
import { interactionsOfKind, providerStatesOf, readPactFile } from '../pacts/pactFile.ts';
import { brokerConfigFrom, type BrokerConfig } from '../broker/brokerConfig.ts';
import { pacticipantVersion } from '../broker/pacticipantVersion.ts';
import { guardStateHandlers, type ProviderStateSetup } from './stateGuard.ts';
import { verifierOutcome } from './verifierOutcome.ts';
import { writeVerificationReport, type LinkVerification, type ProviderVerification } from './verificationReport.ts';

/** A message as the provider publishes it: the JSON content and the AMQP headers + properties. */
export interface ProvidedMessage {
  content: unknown;
  metadata: Record<string, unknown>;
}

export interface ProviderVerificationOptions {
  provider: ServiceName;
  /** The running provider (HTTP links); omit for a provider of messages only. */
  providerBaseUrl?: string;
  /** Provider state → setup creating that state for real (rows, API calls). */
  stateHandlers: Readonly<Record<string, ProviderStateSetup>>;
  /**
   * The message a description asks for (message links), as the provider publishes it. Called for
   * every message interaction, after its provider states were set up; throw for an unknown one.
   */
  messages?: (description: string) => Promise<ProvidedMessage>;
  /** Request headers replaced before requests reach the provider (real tokens and keys). */
  requestHeaders?: Readonly<Record<string, string>>;
  /** Default: every link of the topology this service provides. */
  links?: readonly PactLink[];
  layout?: ContractsLayout;
  reportDir?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Verifies every pact of one provider, HTTP and messages, in one Verifier run, and fails it
 * when a state handler is missing or throws, when no interaction was verified, or when an
 * interaction of a pact was not verified. Writes reports/contracts/verification/<provider>.json.
 */
export async function verifyProviderLinks(options: ProviderVerificationOptions): Promise<ProviderVerification> {
  const started = performance.now();
  const layout = options.layout ?? repoLayout;
  const links = (options.links ?? pactLinks()).filter((link) => link.provider === options.provider);
  const broker = brokerConfigFrom(options.env ?? process.env);
  const fromBroker = broker?.verifyFromBroker === true;
  const problems: string[] = [];
  const expected = new Map<PactLink, number | undefined>();
  const descriptions = new Map<PactLink, ReadonlySet<string>>();
  const pactUrls: string[] = [];
  const states: string[] = [];
  for (const link of links) {
    if (fromBroker) {
      expected.set(link, undefined);
      continue;
    }
    const file = pactFilePath(layout, link);
    if (!fs.existsSync(file)) {
      expected.set(link, 0);
      continue;
    }
    const pact = readPactFile(file);
    const own = interactionsOfKind(pact, link.kind);
    expected.set(link, own.length);
    descriptions.set(link, new Set(own.map((interaction) => interaction.description)));
    states.push(...providerStatesOf(pact));
    // Two links of one pair (HTTP and messages) share the file: verify it once.
    if (!pactUrls.includes(file)) pactUrls.push(file);
  }

  const guarded = guardStateHandlers(options.stateHandlers, states);
  let outcome = { passed: false, interactions: [] as ProviderVerification['interactions'], errors: [] as string[] };
  if (fromBroker || pactUrls.length > 0) {
    const verifier = new Verifier(
      verifierOptions(options, broker, fromBroker, pactUrls, guarded.stateHandlers, guarded.failures),
    );
    try {
      outcome = verifierOutcome(await verifier.verifyProvider(), false);
    } catch (error) {
      outcome = verifierOutcome(error, true);
    }
  }
  problems.push(...guarded.failures, ...outcome.errors);
  if (outcome.interactions.length === 0)
    problems.push('no interaction was verified (a run that verifies nothing fails)');

  const linkResults: ProviderVerification['links'] = {};
  for (const link of links)
    linkResults[link.id] = linkVerification(
      link,
      expected.get(link),
      outcome.interactions,
      guarded.failures,
      descriptions.get(link),
    );
  const report: ProviderVerification = {
    provider: options.provider,
    source: fromBroker ? 'broker' : 'files',
    ok: outcome.passed && problems.length === 0 && Object.values(linkResults).every((link) => link?.ok === true),
    problems,
    interactions: outcome.interactions,
    links: linkResults,
    durationMs: Math.round(performance.now() - started),
  };
  writeVerificationReport(options.reportDir ?? contractReportsDir, report);
  return report;
}

function linkVerification(
  link: PactLink,
  expected: number | undefined,
  interactions: ProviderVerification['interactions'],
  stateFailures: readonly string[],
  /** The link's own interactions when its pair's file also holds another link's (from files only). */
  owned?: ReadonlySet<string>,
): LinkVerification {
  const own = interactions.filter(
    (interaction) =>
      interaction.consumer === link.consumer && (owned === undefined || owned.has(interaction.description)),
  );
  const verified = own.filter((interaction) => interaction.ok).length;
  const problems = own
    .filter((interaction) => !interaction.ok)
    .map((interaction) => `failed: ${interaction.description}`);
  if (expected === 0) problems.push(`no pact to verify (${link.consumer}-${link.provider}.json missing or empty)`);
  if (expected !== undefined && expected > 0 && own.length < expected) {
    problems.push(`${expected - own.length} of ${expected} interactions were not verified`);
  }
  problems.push(...stateFailures);
  return { ok: problems.length === 0 && verified > 0, verified, expected, problems };
}

function verifierOptions(
  options: ProviderVerificationOptions,
  broker: BrokerConfig | undefined,
  fromBroker: boolean,
  pactUrls: string[],
  stateHandlers: VerifierOptions['stateHandlers'],
  failures: string[],
): VerifierOptions {
  // A state nobody handles is looked up on this object: record it instead of silently passing.
  // (Pact also serialises its options: keys that are not state names are left alone.)
  const recordingHandlers = new Proxy(stateHandlers ?? {}, {
    get(target, state) {
      if (typeof state !== 'string' || Object.hasOwn(target, state) || NOT_NAMES.has(state))
        return Reflect.get(target, state);
      return {
        setup: async () => {
          failures.push(`no state handler for provider state "${state}"`);
        },
      };
    },
  });
  const version = pacticipantVersion(REPO_ROOT, options.env ?? process.env);
  return {
    provider: options.provider,
    ...(options.providerBaseUrl === undefined ? {} : { providerBaseUrl: options.providerBaseUrl }),
    stateHandlers: recordingHandlers,
    ...(options.messages === undefined ? {} : { messageProviders: messageProviders(options.messages) }),
    requestFilter: requestFilter(options.requestHeaders ?? {}) as NonNullable<VerifierOptions['requestFilter']>,
    logLevel: 'warn',
    timeout: 30_000,
    ...(fromBroker && broker
      ? {
          pactBrokerUrl: broker.url,
          ...(broker.auth && 'token' in broker.auth ? { pactBrokerToken: broker.auth.token } : {}),
          ...(broker.auth && 'username' in broker.auth
            ? { pactBrokerUsername: broker.auth.username, pactBrokerPassword: broker.auth.password }
            : {}),
          consumerVersionSelectors: broker.consumerVersionSelectors,
          enablePending: broker.enablePending,
          ...(broker.includeWipPactsSince ? { includeWipPactsSince: broker.includeWipPactsSince } : {}),
        }
      : { pactUrls }),
    // Results can only be published for pacts fetched from the broker.
    ...(fromBroker && broker?.publishVerificationResults
      ? {
          publishVerificationResult: true,
          providerVersion: version.version,
          ...(version.branch ? { providerVersionBranch: version.branch } : {}),
          ...(broker.buildUrl ? { buildUrl: broker.buildUrl } : {}),
        }
      : {}),
  };
}

/** Property names JSON.stringify, promises and loggers probe on any object. */
const NOT_NAMES = new Set(['', 'toJSON', 'then', 'constructor', 'inspect', 'valueOf', 'toString']);

/** Every description resolves to the provider's message function (a thrown error fails the interaction). */
function messageProviders(messages: NonNullable<ProviderVerificationOptions['messages']>): MessageProviders {
  return new Proxy({} as MessageProviders, {
    get(_target, description) {
      if (typeof description !== 'string' || NOT_NAMES.has(description)) return undefined;
      return async () => {
        const message = await messages(description);
        // Metadata values are JSON (schemaVersion is a number); Pact's types only say string.
        return { __pactMessageMetadata: message.metadata as Record<string, string>, message: message.content };
      };
    },
  });
}

/** An Express middleware of the verifier's proxy (typed here: express types are not installed). */
type RequestFilter = (req: IncomingMessage, res: unknown, next: () => void) => void;

/**
 * Runs on every request the verifier sends through Pact's proxy:
 * - replaces the example credentials of the pacts with the provider's real ones;
 * - sends a request without a body as one: the proxy forwards it with `Transfer-Encoding:
 *   chunked` and no Content-Type, which a strict server answers 415, although the consumer never
 *   sends a body there (openapi-fetch sends neither header).
 */
function requestFilter(headers: Readonly<Record<string, string>>): RequestFilter {
  return (req, _res, next) => {
    for (const [name, value] of Object.entries(headers)) req.headers[name.toLowerCase()] = value;
    if (req.headers['content-type'] === undefined && req.headers['content-length'] === undefined) {
      delete req.headers['transfer-encoding'];
      req.headers['content-length'] = '0';
    }
    next();
  };
}
