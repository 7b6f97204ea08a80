import { isAlive, isListening, ownsProcess, portOf, readRunState } from '@harness/runtime';
import type { Command } from '../command.ts';
import { green, parseOptions, red } from '../output.ts';

const usage = 'harness status [--json]';

export const status: Command = {
  summary: 'show what runs: processes, ports, proxies',
  usage,
  async run(args) {
    const { values } = parseOptions(args, { json: { type: 'boolean' } }, usage);
    const state = readRunState();
    if (!state) {
      console.log(
        values.json ? JSON.stringify({ running: false }) : 'nothing is running (start it with `npx harness up`)',
      );
      return 0;
    }
    const supervisor = isAlive(state.supervisorPid);
    const processes = state.processes.map((proc) => ({ ...proc, alive: ownsProcess(proc) }));
    const proxies = await Promise.all(
      (state.infra?.proxies ?? []).map(async (proxy) => ({
        name: proxy.name,
        listen: proxy.listen,
        upstream: proxy.upstream,
        listening: await isListening(portOf(proxy.listen)),
      })),
    );
    const healthy =
      supervisor && state.status === 'ready' && processes.every((p) => p.alive) && proxies.every((p) => p.listening);
    if (values.json) {
      console.log(
        JSON.stringify(
          {
            running: true,
            healthy,
            status: state.status,
            supervisor: { pid: state.supervisorPid, alive: supervisor },
            processes,
            proxies,
            wiring: state.wiring ?? 'proxied',
            config: state.config,
            system: state.system,
            infra: state.infra,
          },
          null,
          2,
        ),
      );
      return healthy ? 0 : 1;
    }
    console.log(`${healthy ? green('healthy') : red('unhealthy')}  status=${state.status} since ${state.startedAt}`);
    console.log(
      `  supervisor   pid ${state.supervisorPid} ${supervisor ? 'alive' : red('dead (run `harness down` to clean up)')}`,
    );
    if (state.wiring === 'direct')
      console.log('  wiring       direct: the services bypass Toxiproxy (no fault injection on this run)');
    for (const proc of processes)
      console.log(`  ${proc.name.padEnd(12)} pid ${proc.pid} ${proc.alive ? 'alive' : red('dead')}`);
    const down = proxies.filter((p) => !p.listening);
    console.log(
      `  proxies      ${proxies.length - down.length}/${proxies.length} listening${down.length ? red(` (down: ${down.map((p) => p.name).join(', ')})`) : ''}`,
    );
    for (const line of state.summary ?? []) console.log(`  ${line}`);
    for (const crash of state.crashed ?? []) {
      console.log(red(`  ${crash.name} crashed at ${crash.at}: ${crash.reason}`));
      console.log(crash.logTail.replace(/^/gm, '    | '));
    }
    return healthy ? 0 : 1;
  },
};
