/** Pure retry decisions of the request sender, kept apart so they can be unit-tested. */

/** Error codes of failures that are bugs in the request, not the network: retrying cannot help. */
const NON_RETRYABLE_ERROR_CODES = new Set([
  'UND_ERR_INVALID_ARG',
  'UND_ERR_NOT_SUPPORTED',
  'ERR_INVALID_ARG_TYPE',
  'ERR_INVALID_ARG_VALUE',
  'ERR_INVALID_URL',
  'ERR_INVALID_HTTP_TOKEN',
  'ERR_INVALID_CHAR',
  'ERR_HTTP_INVALID_HEADER_VALUE',
]);

/** Timeouts raised by a transport's own socket timers (the client's own timer is tracked separately). */
const TIMEOUT_ERROR_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

/** The `code` of an error or of the first error in its `cause` chain that has one (fetch wraps them). */
export function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A transport failure that a retry may fix: resets, refusals, hang-ups, DNS hiccups, unknown errors. */
export function isRetryableNetworkError(error: unknown): boolean {
  const code = errorCode(error);
  return code === undefined || !NON_RETRYABLE_ERROR_CODES.has(code);
}

export function isTimeoutErrorCode(code: string | undefined): boolean {
  return code !== undefined && TIMEOUT_ERROR_CODES.has(code);
}

/**
 * HTTP answers worth retrying: 429, 5xx except 501 (not implemented is final), and 409
 * `idempotency_key_in_use` (the first request with that key is still running). A 409
 * `idempotency_key_mismatch` and every other 4xx are final.
 */
export function isRetryableStatus(statusCode: number, code: string | undefined): boolean {
  if (statusCode === 429) return true;
  if (statusCode === 409) return code === 'idempotency_key_in_use';
  return statusCode >= 500 && statusCode !== 501;
}

const SECONDS = /^\d+(?:\.\d+)?$/;
/** An HTTP date names its day and month; V8's Date.parse alone would read "-3" as a year. */
const HAS_LETTERS = /[A-Za-z]/;

/**
 * `Retry-After` in milliseconds: delay-seconds or an HTTP date (relative to `now`, epoch ms).
 * `undefined` when absent or unreadable; never negative.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (SECONDS.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  if (!HAS_LETTERS.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * Exponential backoff with full jitter: retry `n` (1-based) sleeps a uniform random time in
 * `[0, min(maxMs, initialMs * 2^(n-1))]`, which spreads clients that failed together.
 */
export function backoffDelay(retry: number, initialMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/** The sleep before retry `n`: the server's `Retry-After` when given, else backoff; both capped at `maxMs`. */
export function retryDelay(retry: number, retryAfterMs: number | undefined, initialMs: number, maxMs: number): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, maxMs);
  return backoffDelay(retry, initialMs, maxMs);
}
