import { bundledSpecPath, eventSchemasFile, type ContractsLayout } from '../layout.ts';
import { pactFilePath, type PactLink } from '../links.ts';
import type { CheckResult } from './checkResult.ts';
import { checkHttpPactAgainstOpenapi } from './httpPactVsOpenapi.ts';
import { readMessageCatalog } from './messageCatalog.ts';
import { checkMessagePactAgainstAsyncapi, type ConformanceOptions } from './messagePactVsAsyncapi.ts';

/** The pact of one link checked against the spec the link is governed by. */
export async function checkLinkConformance(
  link: PactLink,
  layout: ContractsLayout,
  options: ConformanceOptions = { strictNames: true },
): Promise<CheckResult> {
  const pactFile = pactFilePath(layout, link);
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
