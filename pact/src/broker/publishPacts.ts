import fs from 'node:fs';
import { brokerAuthHeader, type BrokerConfig } from './brokerConfig.ts';

export interface PublishedPact {
  file: string;
  ok: boolean;
  detail: string;
}

interface PactParticipants {
  consumer: { name: string };
  provider: { name: string };
}

/**
 * Publishes pact files to a Pact Broker / PactFlow with the broker's `POST /contracts/publish`
 * (one request per consumer: its version, branch and every pact it wrote). Failures come back
 * per file; nothing throws for a remote error.
 */
export async function publishPacts(
  config: BrokerConfig,
  files: readonly string[],
  version: { version: string; branch?: string },
  fetchImpl: typeof fetch = fetch,
): Promise<PublishedPact[]> {
  const byConsumer = new Map<string, Array<{ file: string; pact: PactParticipants; content: string }>>();
  for (const file of files) {
    const content = fs.readFileSync(file, 'utf8');
    const pact = JSON.parse(content) as PactParticipants;
    const list = byConsumer.get(pact.consumer.name) ?? [];
    list.push({ file, pact, content });
    byConsumer.set(pact.consumer.name, list);
  }
  const results: PublishedPact[] = [];
  for (const [consumer, pacts] of byConsumer) {
    const body = {
      pacticipantName: consumer,
      pacticipantVersionNumber: version.version,
      ...(version.branch ? { branch: version.branch } : {}),
      ...(config.buildUrl ? { buildUrl: config.buildUrl } : {}),
      contracts: pacts.map(({ pact, content }) => ({
        consumerName: pact.consumer.name,
        providerName: pact.provider.name,
        specification: 'pact',
        contentType: 'application/json',
        content: Buffer.from(content).toString('base64'),
      })),
    };
    let detail: string;
    let ok: boolean;
    try {
      const response = await fetchImpl(`${config.url}/contracts/publish`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/hal+json', ...brokerAuthHeader(config) },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      ok = response.ok;
      detail = ok
        ? `published as ${consumer} ${version.version}`
        : `broker answered ${response.status}: ${(await response.text()).slice(0, 300)}`;
    } catch (error) {
      ok = false;
      detail = `broker unreachable: ${error instanceof Error ? error.message : String(error)}`;
    }
    for (const { file } of pacts) results.push({ file, ok, detail });
  }
  return results;
}
