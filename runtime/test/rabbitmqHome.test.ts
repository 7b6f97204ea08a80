import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appDependencies, leanHome } from '../src/local/rabbitmq.ts';
import { requireTool } from '../src/tools.ts';

describe('the lean RabbitMQ home', () => {
  it('reads the applications an Erlang .app file needs', () => {
    const app = `{application, rabbit, [
      {description, "RabbitMQ"},
      {applications, [kernel,stdlib,sasl,rabbitmq_prelaunch,
                      ranch, rabbit_common]},
      {included_applications, [aten]},
      {env, [{tcp_listeners, [5672]}]}]}.`;
    expect(appDependencies(app)).toEqual([
      'kernel',
      'stdlib',
      'sasl',
      'rabbitmq_prelaunch',
      'ranch',
      'rabbit_common',
      'aten',
    ]);
    expect(appDependencies('{application, empty, [{applications, []}]}.')).toEqual([]);
  });

  it('links rabbit and what it needs, and none of the plugins it does not load', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lean-home-'));
    const server = requireTool('rabbitmq-server');
    const home = leanHome(server, dir);
    expect(home).toBeDefined();
    if (!home) return;
    for (const needed of ['rabbit', 'rabbit_common', 'rabbitmq_prelaunch', 'ra', 'osiris', 'ranch'])
      expect(home.plugins).toContain(needed);
    for (const unused of ['rabbitmq_management', 'rabbitmq_mqtt', 'rabbitmq_shovel', 'cowboy'])
      expect(home.plugins).not.toContain(unused);
    const linked = fs.readdirSync(path.join(dir, 'plugins'));
    expect(linked).toHaveLength(home.plugins.length);
    const realPlugins = path.join(path.dirname(path.dirname(fs.realpathSync(server))), 'plugins');
    expect(linked.length).toBeLessThan(fs.readdirSync(realPlugins).length);
    // The scripts take the home from the dir they run from: a real dir beside plugins.
    expect(home.scriptsDir).toBe(path.join(dir, 'sbin'));
    expect(fs.lstatSync(home.scriptsDir).isDirectory()).toBe(true);
    expect(fs.existsSync(path.join(home.scriptsDir, 'rabbitmq-env'))).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
