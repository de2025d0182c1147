import { PAYMNT_BASE_URLS } from '@paymnt/client';

/** Which API a base URL is: Paymnt's production or sandbox, a local emulator, or one it cannot tell (a proxy). */
export type PaymntApiKind = 'production' | 'sandbox' | 'local' | 'unknown';

/** What an API key is, by its prefix (never by more of it). */
export type PaymntKeyKind = 'production' | 'sandbox' | 'publishable' | 'unknown';

/** Hosts of sandbox APIs: Paymnt's and Hyperswitch's own. */
const SANDBOX_HOSTS = new Set([new URL(PAYMNT_BASE_URLS.sandbox).host, 'sandbox.hyperswitch.io']);
const PRODUCTION_HOSTS = new Set([new URL(PAYMNT_BASE_URLS.production).host, 'api.hyperswitch.io']);
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '0.0.0.0']);

export function apiKindOf(baseUrl: string): PaymntApiKind {
  let host: string;
  try {
    host = new URL(baseUrl).host;
  } catch {
    return 'unknown';
  }
  if (PRODUCTION_HOSTS.has(host)) return 'production';
  if (SANDBOX_HOSTS.has(host)) return 'sandbox';
  return LOCAL_HOSTS.has(new URL(baseUrl).hostname) ? 'local' : 'unknown';
}

/** `pk_…` publishable (browser) keys, `snd_…` / `dev_…` sandbox keys, `prd_…` production keys. */
export function keyKindOf(apiKey: string): PaymntKeyKind {
  if (apiKey.startsWith('pk_')) return 'publishable';
  if (apiKey.startsWith('prd_')) return 'production';
  if (apiKey.startsWith('snd_') || apiKey.startsWith('dev_')) return 'sandbox';
  return 'unknown';
}

/** What the key check found: `fail` stops startup, `warn` is logged once. Messages name prefixes and hosts, never the key. */
export type KeyEnvironmentFinding = { level: 'fail' | 'warn'; message: string } | undefined;

const HINT = 'Set apiKey from the environment the app runs in (PAYMNT_API_KEY) and environment / baseUrl to match it, or turn this check off with selfCheck: { keyEnvironment: false }.';

export function checkKeyEnvironment(apiKey: string, baseUrl: string): KeyEnvironmentFinding {
  const key = keyKindOf(apiKey);
  const api = apiKindOf(baseUrl);
  const host = (() => {
    try {
      return new URL(baseUrl).host;
    } catch {
      return baseUrl;
    }
  })();
  if (key === 'publishable') {
    return {
      level: 'fail',
      message:
        'apiKey is a publishable key (pk_…): it only confirms and retrieves payments from the browser with their client_secret, and the API refuses it everywhere else. ' +
        'Give the module the secret API key (snd_… or prd_…) and hand the publishable key to the page only.',
    };
  }
  if (key === 'sandbox' && api === 'production') {
    return { level: 'fail', message: `apiKey is a sandbox key (snd_… / dev_…) sent to the production API (${host}): every call would be refused with 401. ${HINT}` };
  }
  if (key === 'production' && (api === 'sandbox' || api === 'local')) {
    return {
      level: 'fail',
      message: `apiKey is a production key (prd_…) sent to a sandbox API (${host}): it would be refused there, and a production secret does not belong in a test setup. ${HINT}`,
    };
  }
  if (key === 'unknown') {
    return { level: 'warn', message: `apiKey has none of the known prefixes (snd_, dev_, prd_): cannot tell whether it matches the API at ${host}.` };
  }
  if (api === 'unknown') {
    return { level: 'warn', message: `baseUrl ${host} is neither Paymnt's sandbox nor its production API (a proxy?): cannot tell whether the ${key} key matches it.` };
  }
  return undefined;
}
