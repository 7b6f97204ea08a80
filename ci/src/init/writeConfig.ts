import type { InferredSystem } from './inferSystem.ts';

/** A TODO marker: `harness doctor` and every command refuse a config that still has one in a command. */
const TODO = 'TODO';

/** The starter `harness.config.ts` text for an inferred system, with TODO markers where a person must decide. */
export function writeConfig(system: InferredSystem, name: string): string {
  const lines: string[] = [
    `import { defineConfig } from '@harness/ci/config';`,
    '',
    '// Written by `harness init`. Replace every TODO, then run `npx harness doctor` to check it.',
    '// Every field is described in the README, section "Config reference".',
    ...system.todos.map((todo) => `// TODO: ${todo}`),
    'export default defineConfig({',
    `  name: ${quote(name)},`,
    '  services: {',
  ];
  for (const service of system.services) {
    lines.push(`    ${key(service.name)}: {`);
    if (service.description) lines.push(`      description: ${quote(service.description)},`);
    lines.push(`      // ${TODO}: the program that starts ${service.name}; {port} is the port the harness gives it.`);
    lines.push(`      command: ${quote(`${TODO}: start ${service.name}`)},`);
    lines.push(`      args: ['--port', '{port}'],`);
    lines.push(`      ready: '/health', // ${TODO}: a path that answers 2xx once it is ready`);
    lines.push(`      database: false, // ${TODO}: true gives it a PostgreSQL database of its own ({databaseUrl})`);
    if (service.broker) lines.push('      broker: true,');
    if (service.openapi) lines.push(`      openapi: ${quote(service.openapi)},`);
    lines.push('    },');
  }
  lines.push('  },', '  links: [');
  for (const link of system.links) {
    lines.push(`    // from ${link.source}`);
    const contract =
      'openapi' in link.contract
        ? `{ openapi: ${quote(link.contract.openapi)} }`
        : 'graphql' in link.contract
          ? `{ graphql: ${quote(link.contract.graphql)} }`
          : `{ asyncapi: ${quote(link.contract.asyncapi)}, messages: [${link.contract.messages.map(quote).join(', ')}] }`;
    lines.push(
      `    { id: ${quote(link.id)}, kind: ${quote(link.kind)}, from: ${quote(link.from)}, to: ${quote(link.to)}, contract: ${contract} },`,
    );
  }
  lines.push('  ],', '});', '');
  return lines.join('\n');
}

const quote = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const key = (name: string): string => (/^[a-z][a-z0-9]*$/i.test(name) ? name : quote(name));
