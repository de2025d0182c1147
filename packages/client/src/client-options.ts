import { PaymntValidationError } from './errors/validation.error';
import type { HttpTransport } from './http/transport';
import { assertHeaderToken, assertId, assertInteger, isPlainObject } from './validation/validators';
import { VERSION } from './version';

/** Which Paymnt deployment to talk to. */
export type PaymntEnvironment = 'sandbox' | 'production';

/** Base URL of each environment. */
export const PAYMNT_BASE_URLS: Readonly<Record<PaymntEnvironment, string>> = {
  sandbox: 'https://sandbox.paymnt.cloud',
  production: 'https://api.paymnt.cloud',
};

/** Identifies the application using the client, appended to `User-Agent`. */
export interface AppInfo {
  /** Visible ASCII without spaces, e.g. `my-shop`. */
  name: string;
  version?: string;
}

/** Options of `new PaymntClient(options)`. Validated in the constructor. */
export interface PaymntClientOptions {
  /** Secret API key (`snd_…`, `prd_…`), sent as `api-key`. Never logged, inspected or serialized. */
  apiKey: string;
  /**
   * Picks the base URL when `baseUrl` is not given.
   * @default 'sandbox'
   */
  environment?: PaymntEnvironment;
  /** An http(s) URL that overrides `environment`, e.g. a local sandbox. A path prefix is kept. */
  baseUrl?: string;
  /** Default `x-profile-id` (`pro_…`); per-call `profileId` overrides it. */
  profileId?: string;
  /** Your merchant id (`merchant_…`): the events API names it in its paths (`client.events`). */
  merchantId?: string;
  /**
   * Time budget of one attempt, in milliseconds.
   * @default 30000
   */
  timeoutMs?: number;
  /**
   * Retries after the first attempt (network errors, timeouts, 429, 5xx, 409 `idempotency_key_in_use`).
   * @default 2
   */
  maxRetries?: number;
  /**
   * Cap of one backoff sleep, and of a `Retry-After` the server asks for, in milliseconds.
   * @default 8000
   */
  maxRetryDelayMs?: number;
  /**
   * Backoff base: retry n sleeps a random time in `[0, min(maxRetryDelayMs, initialRetryDelayMs * 2^(n-1))]`.
   * @default 500
   */
  initialRetryDelayMs?: number;
  /**
   * Overall deadline of a call, attempts and sleeps included, in milliseconds. No retry starts past it.
   * @default 60000
   */
  maxRetryDurationMs?: number;
  /**
   * The HTTP layer.
   * @default new UndiciTransport()
   */
  transport?: HttpTransport;
  /** Appended to `User-Agent` as `name/version`. */
  appInfo?: AppInfo;
  /**
   * Webhook secret(s) (the profile's `payment_response_hash_key`) used by
   * `client.webhooks.constructEvent` when it is called without `secrets`. Several during a rotation.
   */
  webhookSecret?: string | string[];
}

/** The options after validation, with every default applied (the key and secrets are kept apart). */
export interface ResolvedClientOptions {
  readonly baseUrl: string;
  readonly profileId: string | undefined;
  readonly merchantId: string | undefined;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly maxRetryDelayMs: number;
  readonly initialRetryDelayMs: number;
  readonly maxRetryDurationMs: number;
  readonly userAgent: string;
}

/** Default values of the client options. */
export const DEFAULT_CLIENT_OPTIONS = {
  environment: 'sandbox',
  timeoutMs: 30_000,
  maxRetries: 2,
  maxRetryDelayMs: 8_000,
  initialRetryDelayMs: 500,
  maxRetryDurationMs: 60_000,
} as const;

/** Node timers overflow above 2^31-1 ms (they would fire after 1 ms). */
export const MAX_TIMER_MS = 2_147_483_647;

const KNOWN_OPTIONS = new Set<string>([
  'apiKey',
  'environment',
  'baseUrl',
  'profileId',
  'merchantId',
  'timeoutMs',
  'maxRetries',
  'maxRetryDelayMs',
  'initialRetryDelayMs',
  'maxRetryDurationMs',
  'transport',
  'appInfo',
  'webhookSecret',
]);

const API_KEY = /^[\x21-\x7e]{1,1024}$/;

function resolveBaseUrl(options: PaymntClientOptions): string {
  if (options.baseUrl === undefined) {
    const environment = options.environment ?? DEFAULT_CLIENT_OPTIONS.environment;
    if (!Object.prototype.hasOwnProperty.call(PAYMNT_BASE_URLS, environment)) {
      throw new PaymntValidationError('environment', 'must be "sandbox" or "production"');
    }
    return PAYMNT_BASE_URLS[environment];
  }
  if (options.environment !== undefined && !Object.prototype.hasOwnProperty.call(PAYMNT_BASE_URLS, options.environment)) {
    throw new PaymntValidationError('environment', 'must be "sandbox" or "production"');
  }
  const rule = 'must be an absolute http(s) URL without credentials, query or fragment';
  if (typeof options.baseUrl !== 'string') throw new PaymntValidationError('baseUrl', rule);
  let url: URL;
  try {
    url = new URL(options.baseUrl);
  } catch {
    throw new PaymntValidationError('baseUrl', rule);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.search || url.hash) {
    throw new PaymntValidationError('baseUrl', rule);
  }
  // Resource paths start with "/", so the base keeps its path prefix without a trailing slash.
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function userAgent(appInfo: AppInfo | undefined): string {
  const base = `paymnt-node/${VERSION} node/${process.version}`;
  if (appInfo === undefined) return base;
  if (!isPlainObject(appInfo) || appInfo.name === undefined) throw new PaymntValidationError('appInfo', 'must be an object with a name');
  assertHeaderToken(appInfo.name, 'appInfo.name', 100);
  assertHeaderToken(appInfo.version, 'appInfo.version', 100);
  return `${base} ${appInfo.name}${appInfo.version ? `/${appInfo.version}` : ''}`;
}

/** Checks the webhook secret option and returns it as a list (empty when absent). */
export function resolveWebhookSecrets(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((s) => typeof s === 'string' && s.length > 0)) {
    throw new PaymntValidationError(field, 'must be a non-empty string or a non-empty array of non-empty strings');
  }
  return [...list];
}

/**
 * Validates the client options once and resolves every default. Throws `PaymntValidationError`
 * naming the option. The messages never contain the key.
 */
export function resolveClientOptions(options: PaymntClientOptions): ResolvedClientOptions {
  if (!isPlainObject(options)) throw new PaymntValidationError('options', 'must be an object');
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) throw new PaymntValidationError(key, 'is not a known PaymntClient option');
  }
  if (typeof options.apiKey !== 'string' || !API_KEY.test(options.apiKey)) {
    throw new PaymntValidationError('apiKey', 'is required: a non-empty string of visible ASCII characters without spaces');
  }
  assertId(options.profileId, 'profileId');
  assertId(options.merchantId, 'merchantId');
  assertInteger(options.timeoutMs, 'timeoutMs', 1, MAX_TIMER_MS);
  assertInteger(options.maxRetries, 'maxRetries', 0, 100);
  assertInteger(options.maxRetryDelayMs, 'maxRetryDelayMs', 0, MAX_TIMER_MS);
  assertInteger(options.initialRetryDelayMs, 'initialRetryDelayMs', 0, MAX_TIMER_MS);
  assertInteger(options.maxRetryDurationMs, 'maxRetryDurationMs', 1, MAX_TIMER_MS);
  if (options.transport !== undefined && (typeof options.transport !== 'object' || typeof options.transport?.request !== 'function')) {
    throw new PaymntValidationError('transport', 'must implement request(request)');
  }
  resolveWebhookSecrets(options.webhookSecret, 'webhookSecret');
  return {
    baseUrl: resolveBaseUrl(options),
    profileId: options.profileId,
    merchantId: options.merchantId,
    timeoutMs: options.timeoutMs ?? DEFAULT_CLIENT_OPTIONS.timeoutMs,
    maxRetries: options.maxRetries ?? DEFAULT_CLIENT_OPTIONS.maxRetries,
    maxRetryDelayMs: options.maxRetryDelayMs ?? DEFAULT_CLIENT_OPTIONS.maxRetryDelayMs,
    initialRetryDelayMs: options.initialRetryDelayMs ?? DEFAULT_CLIENT_OPTIONS.initialRetryDelayMs,
    maxRetryDurationMs: options.maxRetryDurationMs ?? DEFAULT_CLIENT_OPTIONS.maxRetryDurationMs,
    userAgent: userAgent(options.appInfo),
  };
}
