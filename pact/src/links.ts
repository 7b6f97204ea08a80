import path from 'node:path';
import { referenceTopology, type LinkId, type LinkSpec, type ServiceName, type Topology } from '@harness/runtime';
import type { ContractsLayout } from './layout.ts';

/** A link of the topology seen as a Pact pair: who writes the pact, who verifies it. */
export interface PactLink {
  id: LinkId;
  kind: Exclude<LinkSpec['kind'], 'grpc'>;
  /** Writes the pact (HTTP and GraphQL: the caller; AMQP: the receiver of the messages). */
  consumer: ServiceName;
  /** Verifies the pact (HTTP and GraphQL: the server; AMQP: the publisher). */
  provider: ServiceName;
  /** The spec the pact is checked against: an OpenAPI, GraphQL SDL or AsyncAPI name. */
  spec:
    | { kind: 'openapi'; name: string }
    | { kind: 'graphql'; name: string }
    | { kind: 'asyncapi'; name: string; messages: readonly string[] };
  purpose: string;
}

/**
 * The Pact pairs of a topology, in link order. Derived, never written by hand. gRPC links have
 * none: Pact needs its protobuf plugin for them, which cannot be installed here (see the README);
 * buf lint, buf breaking and the provider's tests on the real server cover them instead. A GraphQL
 * link is a pair like an HTTP link's (the caller writes it, the server verifies it); beside an HTTP
 * link of the same pair it shares the pair's file and owns its GraphQL interactions.
 */
export function pactLinks(topology: Topology = referenceTopology()): PactLink[] {
  return topology.links.flatMap((link): PactLink | [] =>
    link.kind === 'grpc'
      ? []
      : link.kind === 'http'
        ? {
            id: link.id,
            kind: link.kind,
            consumer: link.from,
            provider: link.to,
            spec: { kind: 'openapi', name: link.contract.openapi },
            purpose: link.purpose,
          }
        : link.kind === 'graphql'
          ? {
              id: link.id,
              kind: link.kind,
              consumer: link.from,
              provider: link.to,
              spec: { kind: 'graphql', name: link.contract.graphql },
              purpose: link.purpose,
            }
          : {
              id: link.id,
              kind: link.kind,
              consumer: link.to,
              provider: link.from,
              spec: { kind: 'asyncapi', name: link.contract.asyncapi, messages: link.contract.messages },
              purpose: link.purpose,
            },
  );
}

export function pactLink(id: string, topology: Topology = referenceTopology()): PactLink {
  const link = pactLinks(topology).find((candidate) => candidate.id === id.toUpperCase());
  if (!link)
    throw new Error(
      `unknown link ${id}; links: ${pactLinks(topology)
        .map((l) => l.id)
        .join(', ')}`,
    );
  return link;
}

/** `<consumer>-<provider>.json`: one file per pair, written by exactly one consumer test file. */
export const pactFileName = (link: Pick<PactLink, 'consumer' | 'provider'>): string =>
  `${link.consumer}-${link.provider}.json`;

export const pactFilePath = (layout: ContractsLayout, link: Pick<PactLink, 'consumer' | 'provider'>): string =>
  path.join(layout.pactsDir, pactFileName(link));

/** The providers that verify pacts, each once, in link order. */
export function providersOf(links: readonly PactLink[]): ServiceName[] {
  return [...new Set(links.map((link) => link.provider))];
}

/** Consumer test file of a link (relative to the pact package). */
export const consumerTestFile = (link: PactLink): string =>
  `consumers/${link.id}.${link.consumer}-${link.provider}.pact.test.ts`;

/** The env var `harness contracts --link` sets for the vitest run: a comma-separated link list. */
export const LINK_FILTER_ENV = 'HARNESS_PACT_LINKS';

/** The links of this run: all, or those named in HARNESS_PACT_LINKS. */
export function selectedLinks(
  env: NodeJS.ProcessEnv = process.env,
  topology: Topology = referenceTopology(),
): PactLink[] {
  const all = pactLinks(topology);
  const filter = env[LINK_FILTER_ENV]?.split(',')
    .map((id) => id.trim().toUpperCase())
    .filter(Boolean);
  return filter && filter.length > 0 ? all.filter((link) => filter.includes(link.id)) : all;
}
