/**
 * Turns the CLI's flags and environment into `SandboxOptions`. A flag wins over its environment
 * variable; every bad value throws a `CliUsageError` naming the flag or variable it came from.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { FaultRule } from '../faults/fault-types';
import type { SandboxOptions } from '../sandbox-options';
import { parseFaultRules } from './cli-faults';
import { CLI_FLAGS, type CliFlag } from './cli-flags';
import { CliUsageError } from './cli-usage-error';

/** The environment the CLI reads (`process.env` by default). */
export type SandboxCliEnv = Record<string, string | undefined>;

/** What the command line asks for. */
export interface SandboxCliArgs {
  help: boolean;
  version: boolean;
  /** Only checked when neither `help` nor `version` is set. */
  options: SandboxOptions;
}

/** One raw value and where it came from (`--port` or `PORT`), for error messages. */
interface Raw {
  value: string;
  source: string;
}

type Values = Record<string, string | boolean | Array<string | boolean> | undefined>;

const PARSE_CONFIG: ParseArgsConfig['options'] = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  ...Object.fromEntries(
    CLI_FLAGS.map((f) => [f.name, { type: f.value ? 'string' : 'boolean', multiple: f.multiple ?? false, ...(f.short ? { short: f.short } : {}) }]),
  ),
};

function flag(name: string): CliFlag {
  const f = CLI_FLAGS.find((x) => x.name === name);
  if (!f) throw new Error(`no CLI flag named ${name}`);
  return f;
}

function pick(values: Values, env: SandboxCliEnv, name: string): Raw | undefined {
  const f = flag(name);
  const given = values[name];
  if (typeof given === 'string') return { value: given, source: `--${name}` };
  const fromEnv = env[f.env];
  // An empty variable counts as unset (the way `VAR= cmd` is used to switch one off).
  if (fromEnv !== undefined && fromEnv.trim() !== '') return { value: fromEnv, source: f.env };
  return undefined;
}

function switchOn(values: Values, env: SandboxCliEnv, name: string): boolean {
  if (values[name] === true) return true;
  const f = flag(name);
  const raw = env[f.env]?.trim().toLowerCase();
  if (raw === undefined || raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new CliUsageError(`${f.env} must be 1, true, 0 or false (got "${env[f.env]}")`);
}

function integer(raw: Raw, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(raw.value);
  if (raw.value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `between ${min} and ${max}`;
    throw new CliUsageError(`${raw.source} must be an integer ${range} (got "${raw.value}")`);
  }
  return n;
}

function nonNegative(raw: Raw): number {
  const n = Number(raw.value);
  if (raw.value.trim() === '' || !Number.isFinite(n) || n < 0) throw new CliUsageError(`${raw.source} must be a number >= 0 (got "${raw.value}")`);
  return n;
}

function url(raw: Raw, httpOnly: boolean): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(raw.value);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (httpOnly && parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new CliUsageError(`${raw.source} must be ${httpOnly ? 'an http(s)' : 'an absolute'} URL (got "${raw.value}")`);
  }
  return raw.value;
}

/** Keys go in a header: no spaces. */
function token(raw: Raw): string {
  if (!/^\S+$/.test(raw.value)) throw new CliUsageError(`${raw.source} must be non-empty, without spaces (got "${raw.value}")`);
  return raw.value;
}

/** Ids appear in URL paths (`/events/{merchant_id}`), hence the sandbox's profile id rule for both. */
function id(raw: Raw): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(raw.value)) {
    throw new CliUsageError(`${raw.source} must be 1 to 64 letters, digits, "_" or "-" (got "${raw.value}")`);
  }
  return raw.value;
}

function text(raw: Raw): string {
  if (raw.value.trim() === '') throw new CliUsageError(`${raw.source} must not be empty`);
  return raw.value;
}

function faults(values: Values, env: SandboxCliEnv): FaultRule[] | undefined {
  const given = (values.fault as string[] | undefined) ?? [];
  // Flags replace the variable's rules rather than adding to them, like every other flag.
  if (given.length > 0) return given.flatMap((v) => parseFaultRules(v, `--fault "${v}"`));
  const fromEnv = pick({}, env, 'fault');
  return fromEnv ? parseFaultRules(fromEnv.value, fromEnv.source) : undefined;
}

function parse(argv: readonly string[]): Values {
  try {
    return parseArgs({ args: [...argv], options: PARSE_CONFIG, strict: true, allowPositionals: false }).values as Values;
  } catch (err) {
    // Node's messages name the flag; their first sentence is enough ("Unknown option '--prot'").
    // Read `message` without `instanceof Error`, which fails for errors from another realm (Jest's vm).
    const message = String((err as { message?: unknown } | null)?.message ?? err);
    throw new CliUsageError(message.split(/\.\s/)[0] as string);
  }
}

function optionsFromValues(values: Values, env: SandboxCliEnv, log: (line: string) => void): SandboxOptions {
  const given = <T>(name: string, convert: (raw: Raw) => T): T | undefined => {
    const raw = pick(values, env, name);
    return raw === undefined ? undefined : convert(raw);
  };
  const options: SandboxOptions = {
    port: given('port', (r) => integer(r, 0, 65535)) ?? 8080,
    host: given('host', text) ?? '127.0.0.1',
    webhookRetryTimeScale: given('retry-time-scale', nonNegative) ?? 1,
  };
  const set = <K extends keyof SandboxOptions>(key: K, value: SandboxOptions[K] | undefined): void => {
    if (value !== undefined) options[key] = value;
  };
  set('apiKey', given('api-key', token));
  set('publishableKey', given('publishable-key', token));
  set('merchantId', given('merchant-id', id));
  set('profileId', given('profile-id', id));
  set('webhookUrl', given('webhook-url', (r) => url(r, true)));
  set('webhookSecret', given('webhook-secret', text));
  set('webhookTimeoutMs', given('webhook-timeout-ms', (r) => integer(r, 1)));
  set('returnUrl', given('return-url', (r) => url(r, false)));
  set('publicUrl', given('public-url', (r) => url(r, true)));
  set('maxBodyBytes', given('max-body-bytes', (r) => integer(r, 1)));
  set('connectorLatencyMs', given('connector-latency-ms', nonNegative));
  set('faults', faults(values, env));
  if (switchOn(values, env, 'no-webhooks')) options.webhooksEnabled = false;
  if (switchOn(values, env, 'manual-retry')) options.manualRetryEnabled = true;
  if (switchOn(values, env, 'log')) options.logger = (line) => log(`[sandbox] ${line}`);
  return options;
}

/** Parses the command line; `--help` and `--version` skip the checks of the other values. */
export function parseSandboxCliArgs(argv: readonly string[], env: SandboxCliEnv = process.env, log: (line: string) => void = console.log): SandboxCliArgs {
  const values = parse(argv);
  const help = values.help === true;
  const version = values.version === true;
  return { help, version, options: help || version ? {} : optionsFromValues(values, env, log) };
}

/**
 * The sandbox's options from CLI flags and the environment (flags win). Port, host and retry time
 * scale are always set (8080, 127.0.0.1, 1); the rest only when given.
 * @param log receives the request log lines when `--log` / `PAYMNT_SANDBOX_LOG` is on
 * @throws CliUsageError naming the flag or variable of a bad value
 */
export function sandboxOptionsFromArgs(argv: readonly string[], env: SandboxCliEnv = process.env, log: (line: string) => void = console.log): SandboxOptions {
  return optionsFromValues(parse(argv), env, log);
}
