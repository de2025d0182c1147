import type { LastResponse, PaymntResponse } from './request-events';

/**
 * Adds `lastResponse` as a non-enumerable property, so JSON.stringify and object spread give
 * exactly the wire object while `result.lastResponse` stays available.
 */
export function attachLastResponse<T extends object>(target: T, lastResponse: LastResponse): PaymntResponse<T> {
  Object.defineProperty(target, 'lastResponse', { value: lastResponse, enumerable: false, configurable: true });
  return target as PaymntResponse<T>;
}
