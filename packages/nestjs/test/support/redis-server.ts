import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './apps';

/** Whether a `redis-server` binary is on the PATH. */
function redisServerInstalled(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Tests that start their own redis-server: skipped without the binary, except under CI=true (where they must fail). */
export const describeWithRedisServer: jest.Describe =
  process.env.CI === 'true' || redisServerInstalled() ? describe : describe.skip;

export interface RedisServerOptions {
  /** Append-only file with `appendfsync always` (every write on disk before the answer); off: no persistence at all. */
  aof: boolean;
  /** More `redis-server` arguments, e.g. `['--rename-command', 'CONFIG', '']`. */
  args?: string[];
}

/** Whether something answers PING with PONG on the port within `timeoutMs`. */
function ping(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => done(String(data).startsWith('+PONG')));
  });
}

/**
 * A redis-server child process of the test's own, on a free port, that the test can kill (SIGKILL),
 * restart on the same port with the same data directory, freeze (SIGSTOP) and thaw (SIGCONT).
 */
export class RedisServer {
  private child: ChildProcess | undefined;
  private frozen = false;

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly options: RedisServerOptions,
  ) {}

  static async start(options: RedisServerOptions): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), mkdtempSync(join(tmpdir(), 'paymnt-redis-')), options);
    await server.restart();
    return server;
  }

  /** ioredis options for this server. */
  get connection(): { host: string; port: number } {
    return { host: '127.0.0.1', port: this.port };
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the server (again, after `kill()`): same port, same directory, so an AOF is loaded back. */
  async restart(): Promise<void> {
    if (this.child !== undefined) throw new Error('redis-server is already running');
    const persistence = this.options.aof ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', ...persistence, '--dir', this.dir, ...(this.options.args ?? [])];
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    this.child = child;
    child.once('exit', () => {
      if (this.child === child) this.child = undefined;
    });
    const deadline = Date.now() + 10_000;
    while (!(await ping(this.port, 500))) {
      if (this.child !== child) throw new Error(`redis-server exited at startup on port ${this.port}`);
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${this.port}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** SIGKILL: a crash. Resolves once the process is gone (the port is free again). */
  async kill(): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (this.frozen) this.thaw();
    child.kill('SIGKILL');
    await exited;
    this.child = undefined;
  }

  /** SIGSTOP: the server keeps its connections open and answers nothing. */
  freeze(): void {
    this.child?.kill('SIGSTOP');
    this.frozen = true;
  }

  /** SIGCONT. */
  thaw(): void {
    this.child?.kill('SIGCONT');
    this.frozen = false;
  }

  /** Kills the server and removes its directory. */
  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
