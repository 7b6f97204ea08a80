import { proxiesOfLink, type LinkId, type LinkSpec, type Topology } from '@harness/runtime';
import type { ChaosJournal } from './chaosJournals.ts';
import type { ContractLinkResult, ContractMatrix } from './contractMatrix.ts';

export type LinkVerdict = 'passed' | 'failed' | 'not run';

/** One row of the report's link matrix: a link of the topology with its contract and chaos results. */
export interface LinkRow {
  id: LinkId;
  kind: LinkSpec['kind'];
  /** `caller → server` for HTTP and GraphQL, `publisher ⇒ consumer` for messages. */
  ends: string;
  contract: string;
  purpose: string;
  /** Toxiproxy proxies whose faults hit this link. */
  proxies: string[];
  contractVerdict: LinkVerdict;
  /** The failing cells of the contract stage, or its passing summary. */
  contractDetail: string;
  chaosVerdict: LinkVerdict;
  chaosJournals: ChaosJournal[];
}

function contractOf(link: LinkSpec): string {
  if (link.kind === 'http') return `OpenAPI ${link.contract.openapi}`;
  if (link.kind === 'graphql') return `GraphQL ${link.contract.sdl ?? `${link.contract.graphql}.graphql`}`;
  if (link.kind === 'grpc') return `gRPC ${link.contract.service} (${link.contract.proto}.proto)`;
  return `AsyncAPI ${link.contract.asyncapi}: ${link.contract.messages.join(', ')}`;
}

function contractVerdict(result: ContractLinkResult | undefined): { verdict: LinkVerdict; detail: string } {
  if (!result) return { verdict: 'not run', detail: 'no contract results for this link' };
  if (result.ok)
    return {
      verdict: 'passed',
      detail: result.cells
        .map((cell) => cell.detail)
        .filter(Boolean)
        .join('; '),
    };
  const red = result.cells.filter((cell) => !cell.ok).map((cell) => `${cell.column}: ${cell.detail}`);
  return { verdict: 'failed', detail: red.join('; ') || 'failed' };
}

function chaosVerdict(journals: readonly ChaosJournal[]): LinkVerdict {
  if (journals.length === 0) return 'not run';
  return journals.every((journal) => journal.outcome === 'passed') ? 'passed' : 'failed';
}

/** One row per link in topology order: what each link carries and how its stages went. */
export function linkRows(
  topology: Topology,
  contracts: ContractMatrix | undefined,
  journals: readonly ChaosJournal[],
): LinkRow[] {
  return topology.links.map((link) => {
    const contract = contractVerdict(contracts?.links.get(link.id));
    const touching = journals.filter((journal) => journal.links.includes(link.id));
    return {
      id: link.id,
      kind: link.kind,
      ends: link.kind === 'http' || link.kind === 'graphql' ? `${link.from} → ${link.to}` : `${link.from} ⇒ ${link.to}`,
      contract: contractOf(link),
      purpose: link.purpose,
      proxies: proxiesOfLink(topology, link.id).map((proxy) => proxy.name),
      contractVerdict: contract.verdict,
      contractDetail: contract.detail,
      chaosVerdict: chaosVerdict(touching),
      chaosJournals: touching,
    };
  });
}
