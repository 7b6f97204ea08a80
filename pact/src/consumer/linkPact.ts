import '../pactEnvironment.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PactV4 } from '@pact-foundation/pact';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { repoLayout, type ContractsLayout } from '../layout.ts';
import { pactFileName, pactFilePath, pactLink, type PactLink } from '../links.ts';
import { claimPactFile } from './pactFileLock.ts';
import { publishPactFile } from './publishPactFile.ts';

export interface LinkPact {
  link: PactLink;
  /** The Pact V4 builder; each interaction's description is `<operationId|Message>: <scenario>`. */
  pact: PactV4;
}

/**
 * The pact of one link for one consumer test file. Interactions are written to a private folder
 * and, only when every test of the file passed, moved atomically to `contracts/pacts/
 * <consumer>-<provider>.json`, replacing the previous version. The file is claimed for the whole
 * test file, so a second writer of the same pair fails instead of corrupting it.
 */
export function linkPact(linkId: string, layout: ContractsLayout = repoLayout): LinkPact {
  const link = pactLink(linkId);
  const target = pactFilePath(layout, link);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), `harness-pact-${link.id}-`));
  const pact = new PactV4({ consumer: link.consumer, provider: link.provider, dir: workDir, logLevel: 'warn' });
  let claim: { release(): void } | undefined;
  let failures = 0;
  let testsRun = 0;

  beforeAll(() => {
    claim = claimPactFile(target);
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
        await publishPactFile(written, target);
      }
    } finally {
      fs.rmSync(workDir, { recursive: true, force: true });
      claim?.release();
    }
  });
  return { link, pact };
}
