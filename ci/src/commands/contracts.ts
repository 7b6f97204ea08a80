import path from 'node:path';
import { REPO_ROOT, referenceConfigFile } from '@harness/runtime';
import type { Command } from '../command.ts';
import { commandConfig } from '../commandConfig.ts';
import { CliError, parseOptions } from '../output.ts';

const usage = 'harness contracts [--config FILE] [--link L2[,L5]] [--base <git ref>]';

export const contracts: Command = {
  summary:
    'contract stage: Pact consumer tests, provider verification, pacts vs specs, breaking-change gate, link matrix',
  usage,
  async run(args) {
    const config = await commandConfig();
    // Loaded on use: the stage pulls in Pact, the spec parsers and the validators.
    if (config.file === referenceConfigFile)
      return (await import('../contracts/runContractStage.ts')).runContractStage(args);
    const { values } = parseOptions(args, { link: { type: 'string' }, base: { type: 'string' } }, usage);
    const ids = values.link?.split(',').map((id) => id.trim());
    const known = config.topology.links.map((link) => link.id);
    const unknown = ids?.filter((id) => !known.includes(id)) ?? [];
    if (unknown.length > 0) throw new CliError(`unknown link ${unknown.join(', ')}; links: ${known.join(', ')}`, 2);
    const { runConfigContractStage } = await import('../contracts/configContractStage.ts');
    return runConfigContractStage(config, {
      ...(ids ? { links: ids } : {}),
      ...(values.base ? { base: values.base } : {}),
      junitFile: path.join(REPO_ROOT, 'reports', 'junit', `contracts-${config.name}.xml`),
    });
  },
};
