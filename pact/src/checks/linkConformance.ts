import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundledSpecPath, eventSchemasFile, type ContractsLayout } from '../layout.ts';
import { pactFilePath, type PactLink } from '../links.ts';
import { pactOfKind, readPactFile, type HttpInteraction } from '../pacts/pactFile.ts';
import { failedCheck, type CheckResult } from './checkResult.ts';
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
  if (link.spec.kind === 'graphql') {
    const sdlFile = path.join(layout.contractsDir, 'graphql', `${link.spec.name}.graphql`);
    let interactions: HttpInteraction[];
    try {
      interactions = readPactFile(pactFile).interactions.filter(isGraphqlInteraction);
    } catch (error) {
      return failedCheck(error instanceof Error ? error.message : String(error));
    }
    return checkGraphqlPactAgainstSdl(interactions, sdlFile);
  }
  if (link.spec.kind === 'openapi')
    return checkHttpPactAgainstOpenapi(pactFile, bundledSpecPath(layout, link.spec.name), options);
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

/**
 * The pact file, or a copy with only the link's kind of interactions when its pair shares the file
 * with a link of another kind (an unreadable file is passed on: the check reports it).
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
