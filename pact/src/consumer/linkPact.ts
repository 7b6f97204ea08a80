import '../pactEnvironment.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PactV4 } from '@pact-foundation/pact';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { repoLayout, type ContractsLayout } from '../layout.ts';
import { pactFileName, pactFilePath, pactLink, type PactLink } from '../links.ts';
import { ownsInteraction } from '../pacts/pactFile.ts';
import { claimPactFile, waitToClaim } from './pactFileLock.ts';
import { publishPactFile } from './publishPactFile.ts';

export interface LinkPact {
  link: PactLink;
  /** The Pact V4 builder; each interaction's description is `<operationId|Message>: <scenario>`. */
  pact: PactV4;
}

/**
 * The pact of one link for one consumer test file. Interactions are written to a private folder
 * and, only when every test of the file passed, moved atomically to `contracts/pacts/
 * <consumer>-<provider>.json`, replacing the previous version of this link's interactions (a pair
 * with an HTTP and a message link keeps the other link's in the same file). The link's kind of the
 * file is claimed for the whole test file, so a second writer of the same link fails instead of
 * corrupting it.
 */
export function linkPact(linkId: string, layout: ContractsLayout = repoLayout): LinkPact {
  const link = pactLink(linkId);
  const target = pactFilePath(layout, link);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), `harness-pact-${link.id}-`));
  const pact = new PactV4({ consumer: link.consumer, provider: link.provider, dir: workDir, logLevel: 'warn' });
  let claim: { release(): void } | undefined;
  let failures = 0;
  let testsRun = 0;

  // The claim is per link kind: the HTTP, GraphQL and message links of one pair share the file, each
  // writing its own kind of interaction (see publish below).
  const claimed = `${target}#${link.kind === 'amqp' ? 'messages' : link.kind}`;
  beforeAll(() => {
    claim = claimPactFile(claimed);
  });
  afterEach((context) => {
    testsRun += 1;
    if (context.task.result?.state === 'fail') failures += 1;
  });
  afterAll(async () => {
    try {
      const written = path.join(workDir, pactFileName(link));
      if (failures === 0 && testsRun > 0) {
        if (!fs.existsSync(written))
          throw new Error(`${link.id}: the tests passed but Pact wrote no ${pactFileName(link)}`);
        // Merged under a short lock of the file itself: the other kind's interactions stay.
        const merging = await waitToClaim(target);
        try {
          await publishPactFile(written, target, (interaction) => !ownsInteraction(link.kind, interaction));
        } finally {
          merging.release();
        }
      }
    } finally {
      fs.rmSync(workDir, { recursive: true, force: true });
      claim?.release();
    }
  });
  return { link, pact };
}
