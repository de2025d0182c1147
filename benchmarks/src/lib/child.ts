import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** Messages from a child: the ready signal, or the answer to one command. */
export type ChildMessage =
  | { type: 'ready'; port: number }
  | { type: 'failed'; error: string; unavailable?: boolean }
  | { type: 'reply'; id: number; ok: true; result: unknown }
  | { type: 'reply'; id: number; ok: false; error: string };

/** CPU time of a process (microseconds, user + system). */
export interface CpuSample {
  user: number;
  system: number;
}

/** `process.memoryUsage()` of a child, after a full GC when it runs with --expose-gc. */
export interface MemorySample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  gc: boolean;
}

/** A package the section needs is missing or not built: the full run fails, the quick run skips. */
export class UnavailableError extends Error {
  override readonly name = 'UnavailableError';
}

const live = new Set<ChildProcess>();
let profileCounter = 0;
// A run must end by itself and leave nothing behind, even when it fails.
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * A server (or probe) in its own process, so the load generator and the server each get a core.
 * The child is `dist/child.js ROLE`; its configuration travels in an environment variable (never
 * on the command line, where secrets would show in `ps`).
 */
export class BenchChild {
  readonly #process: ChildProcess;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  #nextId = 1;
  #exited = false;
  readonly #exit: Promise<void>;
  port = 0;

  private constructor(role: string, config: unknown, execArgv: string[]) {
    if (execArgv.includes('--cpu-prof')) {
      // Name the profile after what ran in it: e.g. nest-fastify-module-2.cpuprofile.
      const parts = [role, ...['adapter', 'variant'].map((k) => (config as Record<string, unknown> | undefined)?.[k]).filter((v) => typeof v === 'string')];
      execArgv = [...execArgv, `--cpu-prof-name=${parts.join('-')}-${++profileCounter}.cpuprofile`];
    }
    this.#process = fork(join(__dirname, '..', 'child.js'), [role], {
      execArgv: ['--expose-gc', ...execArgv],
      env: { ...process.env, BENCH_CHILD_CONFIG: JSON.stringify(config ?? {}) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    live.add(this.#process);
    this.#exit = new Promise((resolve) => {
      this.#process.once('exit', () => {
        this.#exited = true;
        live.delete(this.#process);
        for (const pending of this.#pending.values()) pending.reject(new Error(`child ${role} exited`));
        this.#pending.clear();
        resolve();
      });
    });
    this.#process.on('message', (message: ChildMessage) => {
      if (message.type !== 'reply') return;
      const pending = this.#pending.get(message.id);
      if (pending === undefined) return;
      this.#pending.delete(message.id);
      if (message.ok) pending.resolve(message.result);
      else pending.reject(new Error(message.error));
    });
  }

  /** Starts ROLE and waits for it to listen (or fail). */
  static async start(role: string, config?: unknown, options: { execArgv?: string[]; timeoutMs?: number } = {}): Promise<BenchChild> {
    const child = new BenchChild(role, config, options.execArgv ?? []);
    const timeoutMs = options.timeoutMs ?? 30_000;
    try {
      child.port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`child ${role} not ready after ${timeoutMs} ms`)), timeoutMs);
        child.#process.on('message', (message: ChildMessage) => {
          if (message.type === 'ready') {
            clearTimeout(timer);
            resolve(message.port);
          } else if (message.type === 'failed') {
            clearTimeout(timer);
            reject(message.unavailable ? new UnavailableError(message.error) : new Error(`child ${role}: ${message.error}`));
          }
        });
        void child.#exit.then(() => {
          clearTimeout(timer);
          reject(new Error(`child ${role} exited before it was ready`));
        });
      });
    } catch (error) {
      await child.close();
      throw error;
    }
    return child;
  }

  /** Sends a command to the child and resolves with its answer. */
  call<T>(cmd: string, args?: unknown, timeoutMs = 60_000): Promise<T> {
    if (this.#exited) return Promise.reject(new Error('child has exited'));
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`child command ${cmd} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.#process.send({ id, cmd, args });
    });
  }

  /** CPU time the child has used so far. */
  cpu(): Promise<CpuSample> {
    return this.call<CpuSample>('cpu');
  }

  /** Memory of the child after a full GC. */
  memory(): Promise<MemorySample> {
    return this.call<MemorySample>('mem');
  }

  /** Asks the child to close its server and exit; kills it if it has not exited after 5 s. */
  async close(): Promise<void> {
    if (this.#exited) return;
    try {
      this.#process.send({ id: 0, cmd: 'close' });
    } catch {
      // The IPC channel is already gone: the kill below ends it.
    }
    const timer = setTimeout(() => this.#process.kill('SIGKILL'), 5_000);
    await this.#exit;
    clearTimeout(timer);
  }
}

/** CPU microseconds used between two samples. */
export function cpuDelta(before: CpuSample, after: CpuSample): number {
  return after.user - before.user + (after.system - before.system);
}
