import path from 'node:path';
import { REPO_ROOT, referenceConfigFile } from '@harness/runtime';
import type { Command } from '../command.ts';
import { commandConfig } from '../commandConfig.ts';
import { CliError, green, parseOptions, red, yellow } from '../output.ts';
import { buildReport, DEFAULT_REPORTS_DIR } from '../report/buildReport.ts';
import type { StageStatus } from '../report/stageResults.ts';

const usage = [
  'harness report [--config FILE] [--reports-dir DIR] [--since ISO-TIME]',
  '',
  '--since: only the results written since then count (what `harness test` passes: its own start);',
  'older chaos journals are listed apart as history. Without it every file under the reports folder counts.',
].join('\n');

const paintStatus: Record<StageStatus, (text: string) => string> = {
  passed: green,
  failed: red,
  'not run': yellow,
  recorded: (text) => text,
};

export const report: Command = {
  summary:
    'write reports/index.html (a config system: reports/systems/<name>/index.html): every stage’s results and the link matrix',
  usage,
  async run(args) {
    const { values } = parseOptions(args, { 'reports-dir': { type: 'string' }, since: { type: 'string' } }, usage);
    const since = values.since === undefined ? undefined : new Date(values.since);
    if (since !== undefined && Number.isNaN(since.getTime()))
      throw new CliError(`--since: not a time: "${values.since}" (an ISO time such as 2026-12-03T09:00:00Z)`, 2);
    // A system of its own: its reports/systems/<name>/ and its links.
    const config = await commandConfig();
    const own = config.file !== referenceConfigFile;
    const fallback = own ? path.join(REPO_ROOT, 'reports', 'systems', config.name) : DEFAULT_REPORTS_DIR;
    const reportsDir = path.resolve(values['reports-dir'] ?? fallback);
    const { file, report: built } = buildReport({
      reportsDir,
      ...(own ? { topology: config.topology } : {}),
      ...(since ? { since } : {}),
    });
    for (const stage of built.stages) {
      console.log(`  ${paintStatus[stage.status](stage.status.padEnd(8))} ${stage.title}: ${stage.detail}`);
    }
    const links = built.links.map((link) => `${link.id} contract ${link.contractVerdict}, chaos ${link.chaosVerdict}`);
    console.log(`  links    ${links.join('; ')}`);
    if (since && built.chaosHistory.length > 0)
      console.log(
        `  history  ${built.chaosHistory.length} chaos scenario runs from before ${since.toISOString()} (listed, not counted)`,
      );
    console.log(`wrote ${path.relative(process.cwd(), file) || file}`);
    return 0;
  },
};
