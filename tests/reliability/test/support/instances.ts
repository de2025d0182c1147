import { type ChildProcess, fork } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Agent, request } from 'undici';

/** A message from an instance (see instance-main.js). */
export interface InstanceMessage {
  type: 'ready' | 'ack' | 'handler';
  cmd?: string;
  name: string;
  port?: number;
  phase?: 'start' | 'done' | 'failed';
  key?: string;
  eventId?: string;
}

export interface InstanceConfig {
  apiKey: string;
  baseUrl: string;
  webhookSecret: string;
  redisHost: string;
  redisPort: number;
  redisPrefix: string;
  leaseMs: number;
}

const SCRIPT = join(__dirname, 'instance-main.js');

/** An app instance in its own process, on the built packages. */
export class AppInstance {
  readonly messages: InstanceMessage[] = [];
  /** Everything the process wrote to stdout and stderr. */
  output = '';
  port = 0;
  exited = false;
  private readonly child: ChildProcess;
  private readonly exit: Promise<void>;
  private waiters: Array<() => void> = [];

  constructor(
    readonly name: string,
    config: InstanceConfig,
  ) {
    this.child = fork(SCRIPT, [], {
      execArgv: [],
      silent: true,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        INSTANCE_NAME: name,
        PAYMNT_API_KEY: config.apiKey,
        PAYMNT_BASE_URL: config.baseUrl,
        PAYMNT_WEBHOOK_SECRET: config.webhookSecret,
        REDIS_HOST: config.redisHost,
        REDIS_PORT: String(config.redisPort),
        REDIS_PREFIX: config.redisPrefix,
        LEASE_MS: String(config.leaseMs),
      },
    });
    this.child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
    this.child.on('message', (message: InstanceMessage) => {
      this.messages.push(message);
      if (message.type === 'ready') this.port = message.port ?? 0;
      this.wake();
    });
    this.exit = new Promise((resolve) =>
      this.child.once('exit', () => {
        this.exited = true;
        this.wake();
        resolve();
      }),
    );
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/webhooks/paymnt`;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Gives the instance an instruction; resolves once it acknowledged it. */
  async send(message: { cmd: 'fail-once' | 'block'; key: string }): Promise<void> {
    this.child.send(message);
    await this.waitFor(`ack of ${message.cmd} ${message.key}`, () => this.messages.some((m) => m.type === 'ack' && m.cmd === message.cmd && m.key === message.key));
  }

  /** Handler reports of this instance for a transition key. */
  handler(key: string, phase: 'start' | 'done' | 'failed'): InstanceMessage[] {
    return this.messages.filter((m) => m.type === 'handler' && m.key === key && m.phase === phase);
  }

  /** Resolves once `predicate` holds (checked on every message); rejects after `timeoutMs` or if the process exits first. */
  async waitFor(what: string, predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (this.exited) throw new Error(`instance ${this.name} exited while waiting for ${what}:\n${this.output}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`instance ${this.name}: timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 500));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  ready(): Promise<void> {
    return this.waitFor('ready', () => this.port > 0, 30_000);
  }

  /** kill -9: no cleanup, no answer to what is in flight. */
  async kill(): Promise<void> {
    if (!this.exited) this.child.kill('SIGKILL');
    await this.exit;
  }

  /** Graceful stop; SIGKILL if it does not exit in time. */
  async stop(): Promise<void> {
    if (this.exited) return;
    if (this.child.connected) this.child.send({ cmd: 'shutdown' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await this.exit;
    clearTimeout(timer);
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/** One forwarded delivery, as the load balancer saw it. */
export interface ForwardRecord {
  target: string;
  status: number | 'error';
}

/**
 * The load balancer in front of the instances: the sandbox's webhook URL. Round-robin over the
 * instances not known to be down; a target that refuses or drops the connection is answered 502
 * (the sandbox then retries) and skipped afterwards, as a health-checking balancer would.
 */
export class LoadBalancer {
  readonly forwarded: ForwardRecord[] = [];
  private readonly down = new Set<string>();
  private readonly agent = new Agent({ keepAliveTimeout: 1_000, connections: 64 });
  private readonly server: Server;
  private next = 0;
  url = '';

  constructor(private readonly instances: AppInstance[]) {
    this.server = createServer((req, res) => void this.forward(req, res));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhooks/paymnt`;
  }

  /** The next delivery goes to `name` (then round-robin from there). */
  startAt(name: string): void {
    this.next = this.instances.findIndex((i) => i.name === name);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.agent.close();
  }

  private pick(): AppInstance | undefined {
    for (let i = 0; i < this.instances.length; i++) {
      const candidate = this.instances[(this.next + i) % this.instances.length] as AppInstance;
      if (!this.down.has(candidate.name)) {
        this.next = (this.next + i + 1) % this.instances.length;
        return candidate;
      }
    }
    return undefined;
  }

  private async forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = this.pick();
    if (!target) {
      res.writeHead(503).end();
      return;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (typeof v === 'string' && !['host', 'connection', 'content-length', 'keep-alive'].includes(k)) headers[k] = v;
    }
    try {
      const answer = await request(target.url, { method: 'POST', headers, body: Buffer.concat(chunks), dispatcher: this.agent });
      const body = await answer.body.text();
      this.forwarded.push({ target: target.name, status: answer.statusCode });
      res.writeHead(answer.statusCode, { 'content-type': String(answer.headers['content-type'] ?? 'text/plain') }).end(body);
    } catch {
      this.down.add(target.name);
      this.forwarded.push({ target: target.name, status: 'error' });
      if (!res.headersSent) res.writeHead(502).end('bad gateway');
    }
  }
}
