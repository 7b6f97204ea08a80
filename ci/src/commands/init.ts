import fs from 'node:fs';
import path from 'node:path';
import type { Command } from '../command.ts';
import { inferSystem, serviceNameOf } from '../init/inferSystem.ts';
import { scanSpecs } from '../init/scanSpecs.ts';
import { writeConfig } from '../init/writeConfig.ts';
import { CliError, green, parseOptions, yellow } from '../output.ts';

const usage = 'harness init [--specs DIR] [--out FILE] [--name NAME] [--force]';

export const init: Command = {
  summary: 'write a starter harness.config.ts from a folder of OpenAPI/AsyncAPI specs (and pact files)',
  usage,
  async run(args) {
    const { values } = parseOptions(
      args,
      {
        specs: { type: 'string', default: '.' },
        out: { type: 'string', default: 'harness.config.ts' },
        name: { type: 'string' },
        force: { type: 'boolean' },
      },
      usage,
    );
    const specsDir = path.resolve(values.specs);
    const out = path.resolve(values.out);
    if (!fs.existsSync(specsDir) || !fs.statSync(specsDir).isDirectory())
      throw new CliError(`--specs ${values.specs}: no such folder`, 2);
    if (fs.existsSync(out) && !values.force)
      throw new CliError(`${path.relative(process.cwd(), out) || out} already exists; pass --force to replace it`);
    const scanned = scanSpecs(specsDir, path.dirname(out));
    for (const problem of scanned.unreadable) console.log(yellow(`skipped ${problem}`));
    if (scanned.openapi.length === 0 && scanned.asyncapi.length === 0)
      throw new CliError(`no OpenAPI or AsyncAPI document under ${values.specs}`);
    const system = inferSystem(scanned.openapi, scanned.asyncapi, scanned.pacts, scanned.graphql);
    const name = values.name ?? serviceNameOf(path.basename(path.dirname(out)));
    fs.writeFileSync(out, writeConfig(system, name));
    console.log(
      green(
        `wrote ${path.relative(process.cwd(), out) || out}: ${system.services.length} services, ${system.links.length} links`,
      ),
    );
    console.log(`  services: ${system.services.map((service) => service.name).join(', ')}`);
    for (const link of system.links)
      console.log(`  ${link.id} ${link.from} → ${link.to} (${link.kind}, ${link.source})`);
    for (const todo of system.todos) console.log(yellow(`  TODO: ${todo}`));
    console.log('Replace every TODO (each service needs its start command), then run `npx harness doctor`.');
    return 0;
  },
};
