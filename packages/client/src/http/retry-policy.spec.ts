import { backoffDelay, isRetryableNetworkError, isRetryableStatus, parseRetryAfter, retryDelay } from './retry-policy';

describe('retry policy', () => {
  it('parses Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:27:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-3', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('uses full jitter under an exponential ceiling capped at the max', () => {
    expect(backoffDelay(1, 500, 8000, () => 0.999)).toBe(499);
    expect(backoffDelay(3, 500, 8000, () => 0.5)).toBe(1000);
    expect(backoffDelay(10, 500, 8000, () => 0.999)).toBe(7992);
    expect(backoffDelay(2, 500, 8000, () => 0)).toBe(0);
  });

  it('caps Retry-After at the max delay', () => {
    expect(retryDelay(1, 3_600_000, 500, 8000)).toBe(8000);
    expect(retryDelay(1, 1000, 500, 8000)).toBe(1000);
  });

  it('retries 429, 5xx but 501, and 409 idempotency_key_in_use only', () => {
    expect([429, 500, 502, 503, 504].every((s) => isRetryableStatus(s, undefined))).toBe(true);
    expect(isRetryableStatus(409, 'idempotency_key_in_use')).toBe(true);
    expect(isRetryableStatus(409, 'idempotency_key_mismatch')).toBe(false);
    expect([400, 401, 403, 404, 405, 422, 501].some((s) => isRetryableStatus(s, undefined))).toBe(false);
  });

  it('retries network failures but not request bugs', () => {
    const withCode = (code: string): Error => Object.assign(new Error(code), { code });
    expect(isRetryableNetworkError(withCode('ECONNRESET'))).toBe(true);
    expect(isRetryableNetworkError(new TypeError('fetch failed', { cause: withCode('ECONNREFUSED') }))).toBe(true);
    expect(isRetryableNetworkError(new Error('socket hang up'))).toBe(true);
    expect(isRetryableNetworkError(withCode('UND_ERR_INVALID_ARG'))).toBe(false);
  });
});
