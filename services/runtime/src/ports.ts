import net from 'node:net';

export const LOOPBACK = '127.0.0.1';

/** Asks the kernel for a free loopback port. The port is free now; a caller binds it next. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not read the address of a probe socket'));
      });
    });
  });
}

/** True when something accepts TCP connections on host:port. */
export function isListening(port: number, host = LOOPBACK, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (result: boolean): void => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Fails with a clear message when a port the caller asked for is already taken. */
export async function assertPortFree(port: number, what: string): Promise<void> {
  if (await isListening(port)) {
    throw new Error(
      `${what}: port ${port} on ${LOOPBACK} is already in use; pick another port or stop what listens there`,
    );
  }
}
