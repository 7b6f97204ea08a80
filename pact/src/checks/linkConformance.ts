import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundledSpecPath, eventSchemasFile, type ContractsLayout } from '../layout.ts';
import { pactFilePath, type PactLink } from '../links.ts';
import { pactOfKind, readPactFile, type HttpInteraction, type PactDocument } from '../pacts/pactFile.ts';
import { checkResult, type CheckResult } from './checkResult.ts';
import { checkGraphqlPactAgainstSdl, isGraphqlInteraction } from './graphqlPactVsSdl.ts';
import { checkHttpPactAgainstOpenapi } from './httpPactVsOpenapi.ts';
import { readMessageCatalog } from './messageCatalog.ts';
import { checkMessagePactAgainstAsyncapi, type ConformanceOptions } from './messagePactVsAsyncapi.ts';

/** The pact of one link checked against the spec the link is governed by. */
export async function checkLinkConformance(
  link: PactLink,
  layout: ContractsLayout,
  options: ConformanceOptions = { strictNames: true },
): Promise<CheckResult> {
  const pactFile = ownInteractions(pactFilePath(layout, link), link.kind);
  if (link.spec.kind === 'openapi') {
    const { rest, graphql } = splitGraphql(pactFile);
    const openapi = await checkHttpPactAgainstOpenapi(rest, bundledSpecPath(layout, link.spec.name), options);
    if (graphql.length === 0) return openapi;
    // GraphQL interactions on the same link are checked against the provider's SDL instead.
    const sdl = checkGraphqlPactAgainstSdl(
      graphql,
      path.join(layout.contractsDir, 'graphql', `${link.spec.name}.graphql`),
    );
    return checkResult(
      openapi.checked + sdl.checked,
      [...openapi.issues, ...sdl.issues],
      [...openapi.notes, ...sdl.notes],
    );
  }
  return checkMessagePactAgainstAsyncapi(
    pactFile,
    link,
    { catalog: readMessageCatalog(layout), schemasFile: eventSchemasFile(layout) },
    options,
  );
}

export async function checkAllLinks(
  links: readonly PactLink[],
  layout: ContractsLayout,
  options: ConformanceOptions = { strictNames: true },
): Promise<Map<PactLink['id'], CheckResult>> {
  const results = await Promise.all(
    links.map(async (link) => [link.id, await checkLinkConformance(link, layout, options)] as const),
  );
  return new Map(results);
}

/** The pact without its GraphQL interactions (a copy when it has some), and those interactions. */
function splitGraphql(file: string): { rest: string; graphql: HttpInteraction[] } {
  let pact: PactDocument;
  try {
    pact = readPactFile(file);
  } catch {
    return { rest: file, graphql: [] };
  }
  const graphql = pact.interactions.filter(isGraphqlInteraction);
  if (graphql.length === 0) return { rest: file, graphql };
  const rest = { ...pact, interactions: pact.interactions.filter((interaction) => !isGraphqlInteraction(interaction)) };
  const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'harness-pact-rest-')), path.basename(file));
  fs.writeFileSync(copy, JSON.stringify(rest));
  return { rest: copy, graphql };
}

/**
 * The pact file, or a copy with only the link's kind of interactions when its pair shares the file
 * with a link of the other kind (an unreadable file is passed on: the check reports it).
 */
function ownInteractions(file: string, kind: string): string {
  let pact;
  try {
    pact = readPactFile(file);
  } catch {
    return file;
  }
  const own = pactOfKind(pact, kind);
  if (own === pact) return file;
  const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'harness-pact-kind-')), path.basename(file));
  fs.writeFileSync(copy, JSON.stringify(own));
  return copy;
}
