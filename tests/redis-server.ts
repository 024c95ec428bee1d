import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, Socket } from 'node:net';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Whether something answers on the Redis URL's port. */
export async function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  const socket = new Socket();
  socket.setTimeout(500);
  try {
    socket.connect(Number(port || 6379), hostname);
    await Promise.race([
      once(socket, 'connect'),
      once(socket, 'timeout').then(() => {
        throw new Error('timeout');
      }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    socket.destroy();
  }
}

async function sparePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** A throwaway redis-server of the test's own, to kill, freeze and restart. */
export async function startRedisServer() {
  const port = await sparePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess;
  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    for (let i = 0; i < 50 && !(await reachable(url)); i++)
      await new Promise((r) => setTimeout(r, 50));
  };
  await start();
  return {
    url,
    start,
    async kill() {
      child.kill('SIGKILL');
      await once(child, 'exit');
    },
    freeze: () => child.kill('SIGSTOP'),
    thaw: () => child.kill('SIGCONT'),
    stop: () => child.kill('SIGKILL'),
  };
}
