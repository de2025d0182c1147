import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER } from '@paymnt/client';
import { CliUsageError, runSandboxCli, sandboxOptionsFromArgs, type SandboxCliEnv, type SandboxOptions } from '../src';
import { CLI_FLAGS } from '../src/cli/cli-flags';
import { call, paymentBody, sleep, startReceiver } from './helpers';

const options = (argv: string[], env: SandboxCliEnv = {}) => sandboxOptionsFromArgs(argv, env, () => undefined);

/** The CliUsageError thrown by `fn` (fails the test when there is none). */
function usageError(fn: () => unknown): CliUsageError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CliUsageError);
    return err as CliUsageError;
  }
  throw new Error('expected a CliUsageError');
}

// [flag, its environment variable, a value, another value, the option it sets, what it sets it to]
const VALUE_FLAGS: Array<[string, string, string, string, keyof SandboxOptions, unknown]> = [
  ['--port', 'PORT', '0', '9000', 'port', 0],
  ['--host', 'HOST', '0.0.0.0', '::1', 'host', '0.0.0.0'],
  ['--api-key', 'PAYMNT_SANDBOX_API_KEY', 'snd_flag', 'snd_env', 'apiKey', 'snd_flag'],
  ['--publishable-key', 'PAYMNT_SANDBOX_PUBLISHABLE_KEY', 'pk_snd_flag', 'pk_snd_env', 'publishableKey', 'pk_snd_flag'],
  ['--merchant-id', 'PAYMNT_SANDBOX_MERCHANT_ID', 'merchant_flag', 'merchant_env', 'merchantId', 'merchant_flag'],
  ['--profile-id', 'PAYMNT_SANDBOX_PROFILE_ID', 'pro_flag', 'pro_env', 'profileId', 'pro_flag'],
  ['--webhook-url', 'PAYMNT_SANDBOX_WEBHOOK_URL', 'http://127.0.0.1:3000/hooks', 'https://env.example/hooks', 'webhookUrl', 'http://127.0.0.1:3000/hooks'],
  ['--webhook-secret', 'PAYMNT_SANDBOX_WEBHOOK_SECRET', 'flag secret', 'env-secret', 'webhookSecret', 'flag secret'],
  ['--retry-time-scale', 'PAYMNT_SANDBOX_RETRY_TIME_SCALE', '0.001', '2', 'webhookRetryTimeScale', 0.001],
  ['--webhook-timeout-ms', 'PAYMNT_SANDBOX_WEBHOOK_TIMEOUT_MS', '500', '1000', 'webhookTimeoutMs', 500],
  ['--return-url', 'PAYMNT_SANDBOX_RETURN_URL', 'https://shop.example/return', 'https://env.example/r', 'returnUrl', 'https://shop.example/return'],
  ['--public-url', 'PAYMNT_SANDBOX_PUBLIC_URL', 'http://sandbox.local:8080', 'http://env.local', 'publicUrl', 'http://sandbox.local:8080'],
  ['--max-body-bytes', 'PAYMNT_SANDBOX_MAX_BODY_BYTES', '2048', '4096', 'maxBodyBytes', 2048],
  ['--connector-latency-ms', 'PAYMNT_SANDBOX_CONNECTOR_LATENCY_MS', '25', '50', 'connectorLatencyMs', 25],
  ['--fault', 'PAYMNT_SANDBOX_FAULTS', 'route=POST /payments,status=503,times=1', '{"route":"*","fault":{"reset":true}}', 'faults', [
    { route: 'POST /payments', times: 1, fault: { status: 503 } },
  ]],
];

// [flag, its environment variable, the option it sets, its value when on]
const SWITCHES: Array<[string, string, keyof SandboxOptions, unknown]> = [
  ['--no-webhooks', 'PAYMNT_SANDBOX_NO_WEBHOOKS', 'webhooksEnabled', false],
  ['--manual-retry', 'PAYMNT_SANDBOX_MANUAL_RETRY', 'manualRetryEnabled', true],
  ['--log', 'PAYMNT_SANDBOX_LOG', 'logger', expect.any(Function)],
];

describe('sandbox CLI: flags and environment', () => {
  it('tests every flag of the table (the one --help prints)', () => {
    const tested = [...VALUE_FLAGS.map((f) => [f[0], f[1]]), ...SWITCHES.map((f) => [f[0], f[1]])];
    expect(tested.sort()).toEqual(CLI_FLAGS.map((f) => [`--${f.name}`, f.env]).sort());
  });

  it('defaults: port 8080 on 127.0.0.1, real retry schedule, nothing else set', () => {
    expect(options([])).toEqual({ port: 8080, host: '127.0.0.1', webhookRetryTimeScale: 1 });
  });

  it.each(VALUE_FLAGS)('%s (env %s): flag, variable, and the flag wins', (flag, env, value, other, key, expected) => {
    expect(options([flag, value])[key]).toEqual(expected);
    expect(options([`${flag}=${value}`])[key]).toEqual(expected);
    expect(options([], { [env]: value })[key]).toEqual(expected);
    expect(options([flag, value], { [env]: other })[key]).toEqual(expected);
    expect(options([], { [env]: other })[key]).not.toEqual(expected);
    // An empty variable counts as unset.
    expect(options([], { [env]: '' })).toEqual(options([]));
  });

  it.each(SWITCHES)('%s (env %s) switches %s', (flag, env, key, on) => {
    expect(options([flag])[key]).toEqual(on);
    for (const yes of ['1', 'true', 'TRUE']) expect(options([], { [env]: yes })[key]).toEqual(on);
    for (const no of ['0', 'false', '']) expect(options([], { [env]: no })[key]).toBeUndefined();
    expect(options([flag], { [env]: '0' })[key]).toEqual(on);
    expect(usageError(() => options([], { [env]: 'yes' })).message).toBe(`${env} must be 1, true, 0 or false (got "yes")`);
    expect(usageError(() => options([`${flag}=1`])).message).toContain(flag);
  });

  it('-p is --port; all flags together', () => {
    const all = options([
      '-p', '0', '--host', '::1', '--api-key', 'snd_k', '--publishable-key', 'pk_snd_k', '--merchant-id', 'merchant_m',
      '--profile-id', 'pro_p', '--webhook-url', 'https://h.example/w', '--webhook-secret', 's', '--no-webhooks',
      '--retry-time-scale', '0', '--webhook-timeout-ms', '100', '--return-url', 'myapp://return', '--public-url', 'https://sb.example',
      '--manual-retry', '--max-body-bytes', '10', '--connector-latency-ms', '0.5', '--fault', 'timeout', '--log',
    ]);
    expect(all).toEqual({
      port: 0, host: '::1', apiKey: 'snd_k', publishableKey: 'pk_snd_k', merchantId: 'merchant_m', profileId: 'pro_p',
      webhookUrl: 'https://h.example/w', webhookSecret: 's', webhooksEnabled: false, webhookRetryTimeScale: 0, webhookTimeoutMs: 100,
      returnUrl: 'myapp://return', publicUrl: 'https://sb.example', manualRetryEnabled: true, maxBodyBytes: 10, connectorLatencyMs: 0.5,
      faults: [{ fault: { timeout: true } }], logger: expect.any(Function),
    });
  });

  it('--log sends the request log lines to the given log, prefixed', () => {
    const lines: string[] = [];
    sandboxOptionsFromArgs(['--log'], {}, (l) => lines.push(l)).logger?.('POST /payments 200');
    expect(lines).toEqual(['[sandbox] POST /payments 200']);
  });

  it.each([
    ['--port', 'eighty', 'must be an integer between 0 and 65535'],
    ['--port', '65536', 'must be an integer between 0 and 65535'],
    ['--port', '80.5', 'must be an integer between 0 and 65535'],
    ['--port', '', 'must be an integer between 0 and 65535'],
    ['--host', '', 'must not be empty'],
    ['--api-key', 'snd with space', 'must be non-empty, without spaces'],
    ['--publishable-key', '', 'must be non-empty, without spaces'],
    ['--merchant-id', 'merchant/1', 'must be 1 to 64 letters, digits'],
    ['--profile-id', 'p'.repeat(65), 'must be 1 to 64 letters, digits'],
    ['--webhook-url', 'localhost:3000/hooks', 'must be an http(s) URL'],
    ['--webhook-url', 'ftp://127.0.0.1/hooks', 'must be an http(s) URL'],
    ['--webhook-secret', ' ', 'must not be empty'],
    ['--retry-time-scale', '-1', 'must be a number >= 0'],
    ['--retry-time-scale', 'fast', 'must be a number >= 0'],
    ['--webhook-timeout-ms', '0', 'must be an integer >= 1'],
    ['--return-url', 'shop.example/return', 'must be an absolute URL'],
    ['--public-url', 'mailto:sandbox@example.com', 'must be an http(s) URL'],
    ['--max-body-bytes', '1e400', 'must be an integer >= 1'],
    ['--connector-latency-ms', '-5', 'must be a number >= 0'],
    ['--fault', 'status=502', 'faults[0].fault.status must be 500, 503 or 429'],
  ])('%s %j: a usage error naming the flag', (flag, value, why) => {
    expect(usageError(() => options([`${flag}=${value}`])).message).toMatch(new RegExp(`^${flag}\\b.*${why.replace(/[[\]()]/g, '\\$&')}`));
  });

  it('bad environment values name the variable', () => {
    expect(usageError(() => options([], { PORT: 'eighty' })).message).toBe('PORT must be an integer between 0 and 65535 (got "eighty")');
    expect(usageError(() => options([], { PAYMNT_SANDBOX_WEBHOOK_URL: 'localhost:3000' })).message).toMatch(/^PAYMNT_SANDBOX_WEBHOOK_URL must be an http\(s\) URL/);
    expect(usageError(() => options([], { PAYMNT_SANDBOX_FAULTS: '{"route":"/x"}' })).message).toMatch(/^PAYMNT_SANDBOX_FAULTS: faults\[0\]: give either "fault"/);
    // A flag replaces a bad variable: it is not read.
    expect(options(['--port', '1'], { PORT: 'eighty' }).port).toBe(1);
  });

  it('refuses unknown flags, missing values, positional arguments and values on switches', () => {
    expect(usageError(() => options(['--prot', '1'])).message).toBe("Unknown option '--prot'");
    expect(usageError(() => options(['--port'])).message).toBe("Option '-p, --port <value>' argument missing");
    expect(usageError(() => options(['--api-key', '--port', '1'])).message).toMatch(/--api-key/);
    expect(usageError(() => options(['8080'])).message).toBe("Unexpected argument '8080'");
    expect(usageError(() => options(['--no-webhooks=true'])).message).toBe("Option '--no-webhooks' does not take an argument");
  });
});

describe('sandbox CLI: --fault', () => {
  it('compact form: the rule fields, with the fault inline', () => {
    expect(options(['--fault', 'route=GET /payments/:id, probability=0.2, seed=42, latencyMs=2000, when=after, id=slow']).faults).toEqual([
      { route: 'GET /payments/:id', probability: 0.2, seed: 42, when: 'after', id: 'slow', fault: { latencyMs: 2000 } },
    ]);
    expect(options(['--fault', 'method=POST,route=/refunds,status=429,retryAfterSeconds=3']).faults).toEqual([
      { method: 'POST', route: '/refunds', fault: { status: 429, retryAfterSeconds: 3 } },
    ]);
    expect(options(['--fault', 'reset=true,times=2']).faults).toEqual([{ times: 2, fault: { reset: true } }]);
  });

  it('JSON form: one rule or an array; the flag repeats; flags replace the variable', () => {
    const seq = { route: 'POST /refunds', when: 'after', sequence: [{ status: 500 }, null, { reset: true }] };
    expect(options(['--fault', JSON.stringify(seq)]).faults).toEqual([seq]);
    expect(options(['--fault', JSON.stringify([seq, { fault: { timeout: true } }]), '--fault', 'status=503']).faults).toEqual([
      seq,
      { fault: { timeout: true } },
      { fault: { status: 503 } },
    ]);
    expect(options([], { PAYMNT_SANDBOX_FAULTS: '[{"fault":{"status":500}}]' }).faults).toEqual([{ fault: { status: 500 } }]);
    expect(options(['--fault', 'status=503'], { PAYMNT_SANDBOX_FAULTS: '[{"fault":{"status":500}}]' }).faults).toEqual([{ fault: { status: 503 } }]);
  });

  it.each([
    ['', 'empty rule'],
    ['stauts=503', 'unknown field "stauts"'],
    ['status=503,status=500', '"status" is given twice'],
    ['status=abc', '"status" must be a number'],
    ['route=,status=503', '"route" needs a value'],
    ['route=/payments', 'faults[0].fault: give exactly one of status, latencyMs, timeout, reset'],
    ['status=503,timeout', 'faults[0].fault: give exactly one of'],
    ['timeout=yes', 'faults[0].fault.timeout must be true'],
    ['status=503,probability=2', 'faults[0].probability must be a number between 0 and 1'],
    ['status=503,route=PUSH /payments', 'fault rule method "PUSH" is not an HTTP method'],
    ['{"route":"/payments","fault":{"status":503}', 'not valid JSON'],
    ['{"fault":{"status":503},"colour":"red"}', 'faults[0]: unknown field "colour"'],
    ['[{"fault":{"status":503}},{"sequence":{}}]', 'faults[1].sequence must be an array'],
  ])('--fault %j is refused: %s', (value, why) => {
    const message = usageError(() => options(['--fault', value])).message;
    expect(message.startsWith(`--fault "${value}": `)).toBe(true);
    expect(message).toContain(why);
  });
});

describe('sandbox CLI: runSandboxCli', () => {
  const packageVersion = (JSON.parse(readFileSync(path.resolve(__dirname, '../package.json'), 'utf8')) as { version: string }).version;

  async function run(argv: string[], env: SandboxCliEnv = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runSandboxCli(argv, env, (l) => out.push(l), (l) => err.push(l));
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('--help prints every flag with its variable and exits 0, even next to bad values', async () => {
    const { code, out, err } = await run(['--help'], { PORT: 'eighty' });
    expect(code).toBe(0);
    expect(err).toBe('');
    for (const f of CLI_FLAGS) {
      expect(out).toContain(`--${f.name}`);
      expect(out).toContain(`env ${f.env}, default ${f.default}`);
    }
    expect((await run(['-h'])).out).toBe(out);
  });

  it("--version prints the package's version", async () => {
    expect(await run(['--version'])).toEqual({ code: 0, out: packageVersion, err: '' });
  });

  it('a bad flag exits 2 with the reason on stderr', async () => {
    const { code, out, err } = await run(['--webhook-url', 'localhost:3000']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe('paymnt-sandbox: --webhook-url must be an http(s) URL (got "localhost:3000")\nRun paymnt-sandbox --help for the flags.');
  });

  it('a port already taken exits 1', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const port = (taken.address() as { port: number }).port;
      const { code, err } = await run(['--port', String(port)]);
      expect(code).toBe(1);
      expect(err).toMatch(/^paymnt-sandbox: cannot start: .*EADDRINUSE/);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });

  describe('signals (emitted in-process)', () => {
    // Emitting a signal on `process` only runs its listeners: it must be only ours.
    const before = { SIGINT: process.listenerCount('SIGINT'), SIGTERM: process.listenerCount('SIGTERM') };
    const maybe = before.SIGINT === 0 && before.SIGTERM === 0 ? it : it.skip;

    async function started(): Promise<{ exit: Promise<number>; out: string[] }> {
      const out: string[] = [];
      const exit = runSandboxCli(['--port', '0'], {}, (l) => out.push(l), (l) => out.push(l));
      for (let i = 0; i < 500 && !out.includes('Ctrl-C stops it.'); i++) await sleep(10);
      expect(out[0]).toMatch(/^Paymnt sandbox listening on http:\/\/127\.0\.0\.1:\d+$/);
      return { exit, out };
    }

    maybe('the first SIGINT or SIGTERM stops the sandbox and resolves 0, then the listeners are gone', async () => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        const { exit, out } = await started();
        expect(process.listenerCount(signal)).toBe(1);
        process.emit(signal, signal);
        expect(await exit).toBe(0);
        expect(out).toContain(`\n${signal} received, stopping the sandbox…`);
        expect(out[out.length - 1]).toBe('sandbox stopped');
        expect(process.listenerCount('SIGINT')).toBe(0);
        expect(process.listenerCount('SIGTERM')).toBe(0);
      }
    });

    maybe('a second signal does not wait for the stop: resolves 1', async () => {
      const { exit, out } = await started();
      process.emit('SIGINT', 'SIGINT');
      process.emit('SIGINT', 'SIGINT');
      expect(await exit).toBe(1);
      // The stop still completes in the background.
      for (let i = 0; i < 500 && !out.includes('sandbox stopped'); i++) await sleep(10);
      expect(out).toContain('sandbox stopped');
    });
  });
});

describe('sandbox CLI: the built bin as a process', () => {
  const bin = path.resolve(__dirname, '../dist/bin.js');
  // `nx test sandbox` builds first; run alone without a build, these are skipped (never under CI).
  const isBuilt = existsSync(bin);
  const maybe = isBuilt || process.env.CI === 'true' ? it : it.skip;
  if (!isBuilt) console.warn('[sandbox] CLI process tests need a build first (nx build sandbox)');

  interface Running {
    child: ChildProcessWithoutNullStreams;
    url: string;
    apiKey: string;
    webhookSecret: string;
    output: () => string;
    exit: Promise<number | null>;
  }

  /** Spawns the bin and waits for its whole banner. */
  async function startBin(args: string[]): Promise<Running> {
    const child = spawn(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH }, stdio: 'pipe' });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 10_000;
    while (!out.includes('Ctrl-C stops it.')) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no banner: ${out}`);
      await sleep(20);
    }
    const field = (re: RegExp): string => (re.exec(out) as RegExpExecArray)[1] as string;
    return {
      child,
      url: field(/listening on (http:\/\/\S+)/),
      apiKey: field(/api-key\s+(\S+)/),
      webhookSecret: field(/webhook secret\s+(\S+)/),
      output: () => out,
      exit,
    };
  }

  /** The exit code, or a failure if the process is still running after `ms`. */
  async function exitWithin(running: Running, ms: number): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'still running'>((resolve) => (timer = setTimeout(() => resolve('still running'), ms)));
    const code = await Promise.race([running.exit, timeout]);
    clearTimeout(timer);
    if (code === 'still running') {
      running.child.kill('SIGKILL');
      throw new Error(`did not exit within ${ms} ms: ${running.output()}`);
    }
    return code;
  }

  maybe('keeps its shebang', () => {
    expect(readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  maybe('serves the API, sends a signed webhook, and exits 0 on SIGINT', async () => {
    const receiver = await startReceiver();
    try {
      const running = await startBin(['--port', '0', '--webhook-url', receiver.url, '--retry-time-scale', '0.001']);
      expect(running.output()).toContain(`webhook url        ${receiver.url}`);
      const res = await call(running.url, 'POST', '/payments', paymentBody(), { apiKey: running.apiKey });
      expect(res.status).toBe(200);
      expect(res.json.status).toBe('succeeded');
      const [hook] = await receiver.waitFor(1, (w) => w.json?.event_type === 'payment_succeeded');
      expect(hook?.json.content.object.payment_id).toBe(res.json.payment_id);
      expect(() => verifyWebhookSignature(hook!.body, hook!.headers[WEBHOOK_SIGNATURE_HEADER], running.webhookSecret)).not.toThrow();

      running.child.kill('SIGINT');
      expect(await exitWithin(running, 5_000)).toBe(0);
      expect(running.output()).toContain('SIGINT received, stopping the sandbox…\nsandbox stopped\n');
    } finally {
      await receiver.close();
    }
  }, 20_000);

  maybe('--fault with a 503 rule answers the first request 503, then lets requests through', async () => {
    const running = await startBin(['--port', '0', '--fault', 'route=POST /payments,status=503,times=1']);
    try {
      const first = await call(running.url, 'POST', '/payments', paymentBody(), { apiKey: running.apiKey });
      expect(first.status).toBe(503);
      expect(first.json).toEqual({ error: { type: 'api', message: 'Something went wrong', code: 'HE_00' } });
      const second = await call(running.url, 'POST', '/payments', paymentBody(), { apiKey: running.apiKey });
      expect(second.status).toBe(200);
    } finally {
      running.child.kill('SIGTERM');
    }
    expect(await exitWithin(running, 5_000)).toBe(0);
  }, 20_000);

  maybe('exits 2 on a bad flag, naming it', async () => {
    const child = spawn(process.execPath, [bin, '--retry-time-scale=-1'], { stdio: 'pipe' });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(err).toContain('--retry-time-scale must be a number >= 0 (got "-1")');
  }, 10_000);
});
