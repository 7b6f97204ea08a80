import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { orderedShutdown } from '../src/startup/orderedShutdown.ts';
import { runUntilSignal, type ProcessHooks, type RunnableService } from '../src/startup/runUntilSignal.ts';
import { capturedLogger } from './support/logCapture.ts';

/** A stand-in for `process`: signals are emitted by the test, exit codes are recorded. */
function fakeProcess() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  let exited: () => void = () => undefined;
  const exitedOnce = new Promise<void>((resolve) => (exited = resolve));
  const hooks: ProcessHooks = {
    on: (signal, listener) => emitter.on(signal, listener),
    exit: (code) => {
      exits.push(code);
      exited();
    },
  };
  return { hooks, exits, exitedOnce, signal: (name: NodeJS.Signals) => emitter.emit(name, name) };
}

function fakeService(behaviour: { start?: () => Promise<void>; stop?: () => Promise<void> } = {}) {
  const calls: string[] = [];
  const service: RunnableService = {
    async start() {
      calls.push('start');
      await behaviour.start?.();
    },
    async stop() {
      calls.push('stop');
      await behaviour.stop?.();
    },
  };
  return { service, calls };
}

describe('runUntilSignal', () => {
  it('starts the service, and on SIGTERM stops it and exits 0 after "shutting down" and "stopped"', async () => {
    const { logger, lines } = capturedLogger('svc');
    const proc = fakeProcess();
    const { service, calls } = fakeService();
    await runUntilSignal(service, logger, { process: proc.hooks });
    expect(calls).toEqual(['start']);
    expect(proc.exits).toEqual([]);

    proc.signal('SIGTERM');
    await proc.exitedOnce;
    expect(calls).toEqual(['start', 'stop']);
    expect(proc.exits).toEqual([0]);
    const messages = lines.map((line) => line.msg);
    expect(messages).toEqual(['shutting down', 'stopped']);
    expect(lines[0]).toMatchObject({ signal: 'SIGTERM' });
  });

  it('stops once when a second signal comes while stopping', async () => {
    const { logger } = capturedLogger('svc');
    const proc = fakeProcess();
    let finishStop: () => void = () => undefined;
    const { service, calls } = fakeService({ stop: () => new Promise((resolve) => (finishStop = resolve)) });
    await runUntilSignal(service, logger, { process: proc.hooks });

    proc.signal('SIGTERM');
    proc.signal('SIGINT');
    proc.signal('SIGTERM');
    finishStop();
    await proc.exitedOnce;
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls.filter((call) => call === 'stop')).toHaveLength(1);
    expect(proc.exits).toEqual([0]);
  });

  it('exits 1 when stop throws, logging "shutdown failed" instead of "stopped"', async () => {
    const { logger, lines } = capturedLogger('svc');
    const proc = fakeProcess();
    const { service } = fakeService({ stop: () => Promise.reject(new Error('pool would not close')) });
    await runUntilSignal(service, logger, { process: proc.hooks });

    proc.signal('SIGINT');
    await proc.exitedOnce;
    expect(proc.exits).toEqual([1]);
    const messages = lines.map((line) => line.msg);
    expect(messages).toContain('shutdown failed');
    expect(messages).not.toContain('stopped');
  });

  it('exits 1 when start fails, after stopping what was opened', async () => {
    const { logger, lines } = capturedLogger('svc');
    const proc = fakeProcess();
    const { service, calls } = fakeService({ start: () => Promise.reject(new Error('migrations failed')) });
    await runUntilSignal(service, logger, { process: proc.hooks });
    expect(calls).toEqual(['start', 'stop']);
    expect(proc.exits).toEqual([1]);
    expect(lines.find((line) => line.msg === 'startup failed')).toMatchObject({
      err: { message: 'migrations failed' },
    });
  });

  it('leaves the exit to the signal when start fails because the service is being stopped', async () => {
    const { logger } = capturedLogger('svc');
    const proc = fakeProcess();
    let failStart: (error: Error) => void = () => undefined;
    const { service, calls } = fakeService({ start: () => new Promise((_, reject) => (failStart = reject)) });
    const running = runUntilSignal(service, logger, { process: proc.hooks });
    await new Promise((resolve) => setImmediate(resolve));

    proc.signal('SIGTERM');
    await proc.exitedOnce;
    failStart(new Error('pool ended while migrating'));
    await running;
    expect(calls).toEqual(['start', 'stop']);
    expect(proc.exits).toEqual([0]);
  });
});

describe('orderedShutdown', () => {
  it('closes in order, once however often it is called', async () => {
    const closed: string[] = [];
    const stop = orderedShutdown(undefined, [
      ['server', () => closed.push('server')],
      ['relay', async () => void closed.push('relay')],
      ['pool', () => closed.push('pool')],
    ]);
    await Promise.all([stop(), stop()]);
    await stop();
    expect(closed).toEqual(['server', 'relay', 'pool']);
  });

  it('still closes the rest when a step fails, then rejects naming it', async () => {
    const { logger, lines } = capturedLogger('svc');
    const closed: string[] = [];
    const stop = orderedShutdown(logger, [
      ['the HTTP server', () => Promise.reject(new Error('boom'))],
      ['the pool', () => closed.push('pool')],
    ]);
    await expect(stop()).rejects.toThrow('closing the HTTP server failed');
    expect(closed).toEqual(['pool']);
    expect(lines.map((line) => line.msg)).toEqual(['closing the HTTP server failed']);
  });
});
