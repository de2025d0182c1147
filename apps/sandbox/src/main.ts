/**
 * The Paymnt sandbox as a runnable server (`npm run sandbox`, or `node apps/sandbox/dist/main.js`).
 *
 * Environment:
 *   PORT                               port (default 8080; 0 picks a free one)
 *   HOST                               interface (default 127.0.0.1; 0.0.0.0 in a container)
 *   PAYMNT_SANDBOX_API_KEY             the merchant's secret key (generated `snd_…` otherwise)
 *   PAYMNT_SANDBOX_WEBHOOK_URL         where webhooks go (none otherwise)
 *   PAYMNT_SANDBOX_WEBHOOK_SECRET      the profile's payment_response_hash_key (random 64 chars otherwise)
 *   PAYMNT_SANDBOX_RETRY_TIME_SCALE    webhook retry schedule factor (1 = HS's real schedule)
 *   PAYMNT_SANDBOX_RETURN_URL          the profile's default 3DS return URL
 *   PAYMNT_SANDBOX_PUBLIC_URL          base URL put in 3DS links when the sandbox is reached by another name
 *   PAYMNT_SANDBOX_LOG                 `1` logs one line per request and webhook attempt
 */
import { createSandbox, type Sandbox, type SandboxOptions } from '@paymnt/sandbox';

export type Env = Record<string, string | undefined>;

function number(env: Env, name: string, fallback: number, check: (n: number) => boolean, expected: string): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || !check(n)) throw new Error(`${name} must be ${expected} (got "${raw}")`);
  return n;
}

/** Builds the sandbox's options from the environment; throws a readable error on bad values. */
export function optionsFromEnv(env: Env = process.env, log: (line: string) => void = console.log): SandboxOptions {
  const options: SandboxOptions = {
    port: number(env, 'PORT', 8080, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'an integer between 0 and 65535'),
    host: env.HOST || '127.0.0.1',
    webhookRetryTimeScale: number(env, 'PAYMNT_SANDBOX_RETRY_TIME_SCALE', 1, (n) => n >= 0, 'a number >= 0'),
  };
  if (env.PAYMNT_SANDBOX_API_KEY) options.apiKey = env.PAYMNT_SANDBOX_API_KEY;
  if (env.PAYMNT_SANDBOX_WEBHOOK_SECRET) options.webhookSecret = env.PAYMNT_SANDBOX_WEBHOOK_SECRET;
  if (env.PAYMNT_SANDBOX_WEBHOOK_URL) {
    if (!/^https?:\/\//.test(env.PAYMNT_SANDBOX_WEBHOOK_URL)) throw new Error('PAYMNT_SANDBOX_WEBHOOK_URL must be an http(s) URL');
    options.webhookUrl = env.PAYMNT_SANDBOX_WEBHOOK_URL;
  }
  if (env.PAYMNT_SANDBOX_RETURN_URL) options.returnUrl = env.PAYMNT_SANDBOX_RETURN_URL;
  if (env.PAYMNT_SANDBOX_PUBLIC_URL) options.publicUrl = env.PAYMNT_SANDBOX_PUBLIC_URL;
  if (env.PAYMNT_SANDBOX_LOG === '1' || env.PAYMNT_SANDBOX_LOG === 'true') options.logger = (line) => log(`[sandbox] ${line}`);
  return options;
}

/** The start banner. This is a local development tool: printing the generated secret is intended. */
export function banner(sb: Sandbox, options: SandboxOptions): string[] {
  const profile = sb.merchants[0]?.profiles[0];
  return [
    `Paymnt sandbox listening on ${sb.url}`,
    `  api-key            ${sb.apiKey}`,
    `  publishable key    ${sb.publishableKey}`,
    `  merchant id        ${sb.merchantId}`,
    `  profile id         ${sb.profileId}`,
    `  webhook secret     ${sb.webhookSecret}`,
    `  webhook url        ${profile?.webhookUrl ?? '(none: set PAYMNT_SANDBOX_WEBHOOK_URL)'}`,
    `  retry time scale   ${options.webhookRetryTimeScale ?? 1}`,
    `  test cards         4242424242424242 succeeds, 4000000000000002 declines, 4000003800000446 asks for 3DS`,
  ];
}

export interface Running {
  sandbox: Sandbox;
  stop(): Promise<void>;
}

/** Starts the sandbox from the environment and prints the banner. */
export async function start(env: Env = process.env, log: (line: string) => void = console.log): Promise<Running> {
  const options = optionsFromEnv(env, log);
  const sandbox = await createSandbox(options);
  for (const line of banner(sandbox, options)) log(line);
  let stopping: Promise<void> | undefined;
  return {
    sandbox,
    stop: () => (stopping ??= sandbox.close()),
  };
}

async function main(): Promise<void> {
  let running: Running;
  try {
    running = await start();
  } catch (err) {
    console.error(`paymnt sandbox: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
  let signals = 0;
  const shutdown = (signal: NodeJS.Signals): void => {
    signals++;
    if (signals > 1) process.exit(1);
    console.log(`\n${signal} received, stopping the sandbox…`);
    running.stop().then(
      () => {
        console.log('sandbox stopped');
        process.exit(0);
      },
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

if (require.main === module) void main();
