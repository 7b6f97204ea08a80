import fs from 'node:fs';
import net from 'node:net';

export const LOOPBACK = '127.0.0.1';

/** Where the kernel picks source ports of outgoing connections (Linux default 32768–60999). */
function ephemeralRange(): { low: number; high: number } {
  try {
    const [low, high] = fs
      .readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    if (low !== undefined && high !== undefined && low > 0 && high >= low) return { low, high };
  } catch {
    // not Linux, or no procfs: assume the default
  }
  return { low: 32_768, high: 60_999 };
}

/** Ports this process handed out: a probe closes its socket, so the kernel could offer one twice. */
const handedOut = new Set<number>();

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, LOOPBACK, () => server.close(() => resolve(true)));
  });
}

function kernelPort(): Promise<number> {
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

/**
 * The part of [from, to] this process picks from. Test files run in several Vitest workers at once
 * (separate processes, each with its own `handedOut`): two of them could probe the same port free
 * before either binds it (a Kafka node binds seconds after its ports are picked). Each worker
 * (`VITEST_POOL_ID`, from 1) and the processes it starts get a quarter of the range of its own.
 */
function workerSlice(from: number, to: number): { from: number; to: number } {
  const worker = Number(process.env.VITEST_POOL_ID);
  if (!Number.isInteger(worker) || worker < 1) return { from, to };
  const size = Math.floor((to - from + 1) / 4);
  const start = from + ((worker - 1) % 4) * size;
  return { from: start, to: start + size - 1 };
}

/**
 * A free loopback port for a server the caller starts next. It is picked below the kernel's
 * ephemeral range when there is room (from 20000 up to that range), so the source port of some
 * outgoing connection cannot take it between this probe and the bind (on a busy machine that
 * race made a service fail with EADDRINUSE). Never the same port twice in one process.
 */
export async function freePort(): Promise<number> {
  const { low } = ephemeralRange();
  const { from, to } = workerSlice(20_000, Math.min(low, 32_768) - 1);
  if (to - from >= 1_000) {
    for (let tries = 0; tries < 64; tries++) {
      const port = from + Math.floor(Math.random() * (to - from + 1));
      if (handedOut.has(port)) continue;
      if (await bindable(port)) {
        handedOut.add(port);
        return port;
      }
    }
  }
  for (;;) {
    const port = await kernelPort();
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
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
