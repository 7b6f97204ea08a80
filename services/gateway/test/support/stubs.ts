import { afterAll, beforeEach } from 'vitest';
import { startStub, type StubHandler, type StubService } from './stubService.ts';

const notFound: StubHandler = () => ({ status: 404 });

/**
 * One stub per dependency for a test file, started once and reset (calls, handler) before each
 * test. Await `ready` in beforeAll.
 */
export function dependencyStubs() {
  const stubs = {} as { order: StubService; inventory: StubService; notification: StubService };
  const ready = (async () => {
    const [order, inventory, notification] = await Promise.all([startStub(), startStub(), startStub()]);
    Object.assign(stubs, { order, inventory, notification });
  })();
  beforeEach(() => {
    for (const stub of Object.values(stubs)) {
      stub.calls.length = 0;
      stub.handler = notFound;
    }
  });
  afterAll(async () => {
    await Promise.all(Object.values(stubs).map((stub) => stub.close()));
  });
  return { stubs, ready };
}
