import type { PaymntError } from '../errors/paymnt-error';
import type { HttpHeaders, HttpMethod } from './transport';

/** Emitted before each attempt (`client.on('request', ...)`). Carries no header and no secret. */
export interface RequestEvent {
  method: HttpMethod;
  /** The resource path without base URL or query, e.g. `/payments/pay_123/capture`. */
  path: string;
  /** 1 for the first attempt, 2 for the first retry... */
  attempt: number;
  /** The `Idempotency-Key` of a POST (the same on every attempt); `undefined` on GET. */
  idempotencyKey: string | undefined;
  /** Milliseconds since the call started (0 on the first attempt; includes earlier attempts and sleeps). */
  elapsedMs: number;
}

/** Emitted after each attempt, whether it got an HTTP answer or failed (`client.on('response', ...)`). */
export interface ResponseEvent extends RequestEvent {
  /** Milliseconds this attempt took. */
  elapsedMs: number;
  /** The HTTP status, absent when no answer was received (network error, timeout, abort). */
  statusCode?: number;
  /** The `x-request-id` response header. */
  requestId?: string;
  /** Why the attempt failed (an HTTP error, or a connection error); absent on success. */
  error?: PaymntError;
}

/** The events a `PaymntClient` emits, by name. */
export interface PaymntClientEventMap {
  request: RequestEvent;
  response: ResponseEvent;
}

/** Listener of a client event. */
export type PaymntClientListener<K extends keyof PaymntClientEventMap> = (event: PaymntClientEventMap[K]) => void;

/**
 * Meta-data of the HTTP exchange that produced a resolved object, attached as the
 * non-enumerable `lastResponse` property (so `JSON.stringify` gives exactly the wire object).
 */
export interface LastResponse {
  statusCode: number;
  headers: HttpHeaders;
  /** The `x-request-id` response header: quote it to support. */
  requestId: string | undefined;
  /** The `Idempotency-Key` the call was sent with (POST only). */
  idempotencyKey: string | undefined;
  /** True when the server replayed a stored response for this key (`idempotent-replayed: true`). */
  idempotentReplayed: boolean;
  /** Attempts the call took (1 when no retry was needed). */
  attempts: number;
}

/** A resolved API object with its non-enumerable `lastResponse`. */
export type PaymntResponse<T> = T & { readonly lastResponse: LastResponse };
