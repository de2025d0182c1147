/**
 * Thrown by a transport when an attempt exceeds its `timeoutMs`. The request sender recognizes
 * timeouts by `code === 'ETIMEDOUT'`, so custom transports should throw this class (or an error
 * with that code).
 */
export class TransportTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';

  constructor(timeoutMs: number, options?: { cause?: unknown }) {
    super(`No complete response within ${timeoutMs} ms`, options);
    this.name = 'TransportTimeoutError';
  }
}
