import path from 'node:path';
import type { Command } from '../cli.ts';
import { green, parseOptions, red, yellow } from '../output.ts';
import { buildReport, DEFAULT_REPORTS_DIR } from '../report/buildReport.ts';
import type { StageStatus } from '../report/stageResults.ts';

const usage = 'harness report [--reports-dir DIR]';

const paintStatus: Record<StageStatus, (text: string) => string> = {
  passed: green,
  failed: red,
  'not run': yellow,
  recorded: (text) => text,
};

export const report: Command = {
  summary: 'write reports/index.html: every stage’s results and the link matrix L1–L8',
  usage,
  async run(args) {
    const { values } = parseOptions(args, { 'reports-dir': { type: 'string' } }, usage);
    const reportsDir = path.resolve(values['reports-dir'] ?? DEFAULT_REPORTS_DIR);
    const { file, report: built } = buildReport({ reportsDir });
    for (const stage of built.stages) {
      console.log(`  ${paintStatus[stage.status](stage.status.padEnd(8))} ${stage.title}: ${stage.detail}`);
    }
    const links = built.links.map((link) => `${link.id} contract ${link.contractVerdict}, chaos ${link.chaosVerdict}`);
    console.log(`  links    ${links.join('; ')}`);
    console.log(`wrote ${path.relative(process.cwd(), file) || file}`);
    return 0;
  },
};
