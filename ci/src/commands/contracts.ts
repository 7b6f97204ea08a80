import type { Command } from '../cli.ts';

export const contracts: Command = {
  summary:
    'contract stage: Pact consumer tests, provider verification, pacts vs specs, breaking-change gate, link matrix',
  usage: 'harness contracts [--link L2[,L5]] [--base <git ref>]',
  // Loaded on use: the stage pulls in Pact, the spec parsers and the validators.
  run: async (args) => (await import('../contracts/runContractStage.ts')).runContractStage(args),
};
