/**
 * Entry of every child process of the suite: `node dist/child.js ROLE`, configuration in
 * BENCH_CHILD_CONFIG. It starts the role, says `ready` with its port, then answers the parent's
 * commands (`cpu`, `mem`, the role's own, `close`) until told to close or the parent goes away.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { UnavailableError } from './lib/child';
import type { ServerRole } from './servers/role';

type Starter = (config: any) => Promise<ServerRole>;

/* eslint-disable @typescript-eslint/no-require-imports -- each child loads only its own role's code */
const STARTERS: Record<string, () => Starter> = {
  stub: () => (require('./servers/stub-server') as typeof import('./servers/stub-server')).startStub,
  nest: () => (require('./servers/nest-app') as typeof import('./servers/nest-app')).startNestApp,
  sandbox: () => (require('./servers/sandbox-server') as typeof import('./servers/sandbox-server')).startSandboxServer,
  'memory-store': () => (require('./servers/memory-probe') as typeof import('./servers/memory-probe')).startMemoryProbe,
};
/* eslint-enable @typescript-eslint/no-require-imports */

interface Command {
  id: number;
  cmd: string;
  args?: unknown;
}

function send(message: unknown): void {
  if (process.connected) process.send?.(message);
}

function memory(): Record<string, unknown> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, heapTotal, external, arrayBuffers, gc: gc !== undefined };
}

/**
 * A CPU profile of a chosen stretch (`profile-start`, then `profile-stop` with the file to write):
 * unlike `--cpu-prof`, it leaves out boot and warm-up, so self time divides by the requests sent.
 */
let profiler: Session | undefined;
function post<T>(method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => profiler!.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))));
}
async function profileStart(): Promise<void> {
  profiler ??= new Session();
  profiler.connect();
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 100 });
  await post('Profiler.start');
}
async function profileStop(file: string): Promise<void> {
  const { profile } = await post<{ profile: unknown }>('Profiler.stop');
  profiler!.disconnect();
  writeFileSync(file, JSON.stringify(profile));
}

async function main(): Promise<void> {
  const role = process.argv[2];
  const config: unknown = JSON.parse(process.env.BENCH_CHILD_CONFIG ?? '{}');
  delete process.env.BENCH_CHILD_CONFIG;
  const load = STARTERS[role];
  if (load === undefined) throw new Error(`unknown role ${role}`);
  const server = await load()(config);
  let closing = false;
  const close = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    const timer = setTimeout(() => process.exit(0), 3_000);
    try {
      await server.close();
    } finally {
      clearTimeout(timer);
      process.exit(0);
    }
  };
  process.on('disconnect', () => void close());
  process.on('message', (message: Command) => {
    if (message.cmd === 'close') {
      void close();
      return;
    }
    void (async () => {
      try {
        let result: unknown;
        if (message.cmd === 'cpu') result = process.cpuUsage();
        else if (message.cmd === 'mem') result = memory();
        else if (message.cmd === 'profile-start') result = await profileStart();
        else if (message.cmd === 'profile-stop') result = await profileStop(String(message.args));
        else {
          const command = server.commands?.[message.cmd];
          if (command === undefined) throw new Error(`unknown command ${message.cmd}`);
          result = await command(message.args);
        }
        send({ type: 'reply', id: message.id, ok: true, result });
      } catch (error) {
        send({ type: 'reply', id: message.id, ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) });
      }
    })();
  });
  send({ type: 'ready', port: server.port });
}

main().catch((error: unknown) => {
  const unavailable = error instanceof UnavailableError;
  send({ type: 'failed', error: error instanceof Error ? (unavailable ? error.message : error.stack ?? error.message) : String(error), unavailable });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100);
});
