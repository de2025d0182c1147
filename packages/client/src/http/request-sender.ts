import { randomUUID } from 'node:crypto';
import type { ResolvedClientOptions } from '../client-options';
import { PaymntApiError } from '../errors/api.error';
import { PaymntConnectionError } from '../errors/connection.error';
import { createErrorFromResponse, headerValue, isErrorEnvelope } from '../errors/error-factory';
import type { PaymntError } from '../errors/paymnt-error';
import type { RequestOptions } from '../models/common';
import { assertRequestOptions } from '../validation/validators';
import { attachLastResponse } from './last-response';
import type { LastResponse, PaymntResponse } from './request-events';
import type { RequestHooks } from './request-hooks';
import { errorCode, isRetryableNetworkError, isRetryableStatus, isTimeoutErrorCode, parseRetryAfter, retryDelay } from './retry-policy';
import type { HttpHeaders, HttpMethod, HttpTransport, HttpTransportResponse } from './transport';

/** One API call as a resource describes it. */
export interface ApiRequest {
  method: HttpMethod;
  /** Path below the base URL, ids already validated and encoded. */
  path: string;
  /** `''` or a `?...` query string. */
  query?: string;
  /** JSON body of a POST (`{}` when absent). */
  body?: unknown;
  /** A body sent as is instead of JSON (multipart uploads), with its Content-Type. */
  rawBody?: { contentType: string; data: Uint8Array };
  /** A 2xx with an empty body is the answer (`{}`), as `DELETE /disputes/evidence` gives. */
  emptyOk?: boolean;
  options?: RequestOptions;
}

/** Why an attempt ended without a usable answer. */
interface AttemptFailure {
  error: PaymntError;
  retryable: boolean;
  retryAfterMs?: number;
}

/**
 * The shared request layer (like stripe-node's RequestSender): headers, idempotency keys reused
 * across retries, per-attempt timeouts, backoff with jitter, `Retry-After`, the overall deadline,
 * error mapping and observability events. Resources make one call into it per method.
 */
export class RequestSender {
  readonly #apiKey: string;
  readonly #options: ResolvedClientOptions;
  readonly #transport: HttpTransport;
  readonly #hooks: RequestHooks;
  readonly #getHeaders: Record<string, string>;
  readonly #postHeaders: Record<string, string>;
  #closed = false;

  constructor(apiKey: string, options: ResolvedClientOptions, transport: HttpTransport, hooks: RequestHooks) {
    this.#apiKey = apiKey;
    this.#options = options;
    this.#transport = transport;
    this.#hooks = hooks;
    // Built once; each call copies the few entries with a spread.
    this.#getHeaders = { 'api-key': apiKey, accept: 'application/json', 'user-agent': options.userAgent };
    this.#postHeaders = { ...this.#getHeaders, 'content-type': 'application/json' };
  }

  /** Refuses further calls (the transport is closed by the client). */
  markClosed(): void {
    this.#closed = true;
  }

  /** Sends the call, retrying when it is safe; resolves with the parsed body and its `lastResponse`. */
  async request<T extends object>(call: ApiRequest): Promise<PaymntResponse<T>> {
    const { method, path, options } = call;
    if (options !== undefined) assertRequestOptions(options);
    if (this.#closed) {
      throw new PaymntConnectionError({ message: 'The PaymntClient is closed.', code: 'client_closed' });
    }
    const config = this.#options;
    const signal = options?.signal;
    const timeoutMs = options?.timeoutMs ?? config.timeoutMs;
    const maxRetries = options?.maxRetries ?? config.maxRetries;
    const profileId = options?.profileId ?? config.profileId;

    let headers: Record<string, string>;
    let body: string | Uint8Array | undefined;
    let idempotencyKey: string | undefined;
    if (method === 'GET') {
      headers = { ...this.#getHeaders };
    } else {
      headers = { ...this.#postHeaders };
      // The same key on every attempt: the server applies the operation at most once.
      idempotencyKey = options?.idempotencyKey ?? randomUUID();
      headers['idempotency-key'] = idempotencyKey;
      body = call.body === undefined ? '{}' : JSON.stringify(call.body);
      if (call.rawBody) {
        headers['content-type'] = call.rawBody.contentType;
        body = call.rawBody.data;
      }
    }
    if (profileId !== undefined) headers['x-profile-id'] = profileId;
    const url = call.query ? config.baseUrl + path + call.query : config.baseUrl + path;

    const started = performance.now();
    const deadline = started + config.maxRetryDurationMs;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw this.#aborted(signal, method, path, idempotencyKey);
      const attemptStarted = performance.now();
      if (this.#hooks.has('request')) {
        this.#hooks.emit('request', { method, path, attempt, idempotencyKey, elapsedMs: attemptStarted - started });
      }
      // The deadline also bounds the attempt itself.
      const attemptTimeout = Math.max(1, Math.min(timeoutMs, Math.ceil(deadline - attemptStarted)));
      const sent = await this.#send(method, url, headers, body, attemptTimeout, signal);
      let failure: AttemptFailure;
      let response: HttpTransportResponse | undefined;
      if ('response' in sent) {
        response = sent.response;
        const outcome = this.#readResponse<T>(response, idempotencyKey, attempt, call.emptyOk === true);
        if ('result' in outcome) {
          if (this.#hooks.has('response')) this.#emitResponse(method, path, attempt, idempotencyKey, attemptStarted, response);
          return outcome.result;
        }
        failure = outcome.failure;
      } else if (sent.aborted) {
        const error = this.#aborted(signal, method, path, idempotencyKey);
        if (this.#hooks.has('response')) this.#emitResponse(method, path, attempt, idempotencyKey, attemptStarted, undefined, error);
        throw error;
      } else {
        failure = this.#transportFailure(sent.cause, attemptTimeout, method, path, idempotencyKey);
      }
      if (this.#hooks.has('response')) {
        this.#emitResponse(method, path, attempt, idempotencyKey, attemptStarted, response, failure.error);
      }

      if (!failure.retryable || attempt > maxRetries) throw failure.error;
      const delay = retryDelay(attempt, failure.retryAfterMs, config.initialRetryDelayMs, config.maxRetryDelayMs);
      // No retry that would start past the overall deadline.
      if (performance.now() + delay >= deadline) throw failure.error;
      if (!(await sleep(delay, signal))) throw this.#aborted(signal, method, path, idempotencyKey);
    }
  }

  /** One attempt through the transport, which enforces `timeoutMs` and the caller's signal. */
  async #send(
    method: HttpMethod,
    url: string,
    headers: Record<string, string>,
    body: string | Uint8Array | undefined,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<{ response: HttpTransportResponse } | { cause: unknown; aborted: boolean }> {
    try {
      return { response: await this.#transport.request({ method, url, headers, body, timeoutMs, signal }) };
    } catch (cause) {
      return { cause, aborted: signal?.aborted === true };
    }
  }

  /** Turns an HTTP answer into the result, or into a failure with its retry decision. */
  #readResponse<T extends object>(
    response: HttpTransportResponse,
    idempotencyKey: string | undefined,
    attempts: number,
    emptyOk: boolean,
  ): { result: PaymntResponse<T> } | { failure: AttemptFailure } {
    const { statusCode } = response;
    if (statusCode >= 200 && statusCode < 300) {
      let parsed: unknown;
      try {
        parsed = emptyOk && response.body === '' ? {} : JSON.parse(response.body);
      } catch {
        parsed = undefined;
      }
      if (typeof parsed !== 'object' || parsed === null) {
        const error = new PaymntApiError({
          message: `HTTP ${statusCode} from the API with a body that is not a JSON object`,
          code: 'invalid_response',
          statusCode,
          requestId: headerValue(response.headers, 'x-request-id'),
          raw: this.#redact(response.body),
          headers: this.#redactHeaders(response.headers),
          idempotencyKey,
        });
        return { failure: { error, retryable: false } };
      }
      if (!isErrorEnvelope(parsed)) {
        const lastResponse: LastResponse = {
          statusCode,
          headers: response.headers,
          requestId: headerValue(response.headers, 'x-request-id'),
          idempotencyKey,
          idempotentReplayed: headerValue(response.headers, 'idempotent-replayed') === 'true',
          attempts,
        };
        return { result: attachLastResponse(parsed as T, lastResponse) };
      }
      // HTTP 200 carrying an error envelope (`type: "blocked"`): a final answer.
      const error = createErrorFromResponse(this.#redactResponse(response), this.#redactValue(parsed), idempotencyKey);
      return { failure: { error, retryable: false } };
    }
    const error = createErrorFromResponse(this.#redactResponse(response), this.#parseRedacted(response.body), idempotencyKey);
    const retryable = isRetryableStatus(statusCode, error.code);
    const retryAfterMs = retryable ? parseRetryAfter(headerValue(response.headers, 'retry-after'), Date.now()) : undefined;
    return { failure: { error, retryable, retryAfterMs } };
  }

  #transportFailure(
    cause: unknown,
    timeoutMs: number,
    method: HttpMethod,
    path: string,
    idempotencyKey: string | undefined,
  ): AttemptFailure {
    const code = errorCode(cause);
    if (isTimeoutErrorCode(code) || (cause instanceof Error && cause.name === 'TimeoutError')) {
      const error = new PaymntConnectionError({
        message: `${method} ${path} timed out after ${timeoutMs} ms without a complete response.`,
        code: 'request_timeout',
        timedOut: true,
        idempotencyKey,
        cause,
      });
      return { error, retryable: true };
    }
    const error = new PaymntConnectionError({
      message: `${method} ${path} failed before a response was received (${code ?? (cause instanceof Error ? cause.message : 'unknown error')}).`,
      code: 'connection_error',
      idempotencyKey,
      cause,
    });
    return { error, retryable: isRetryableNetworkError(cause) };
  }

  #aborted(signal: AbortSignal | undefined, method: HttpMethod, path: string, idempotencyKey: string | undefined): PaymntConnectionError {
    return new PaymntConnectionError({
      message: `${method} ${path} was aborted by the caller's signal.`,
      code: 'request_aborted',
      idempotencyKey,
      cause: signal?.reason,
    });
  }

  #emitResponse(
    method: HttpMethod,
    path: string,
    attempt: number,
    idempotencyKey: string | undefined,
    attemptStarted: number,
    response: HttpTransportResponse | undefined,
    error?: PaymntError,
  ): void {
    this.#hooks.emit('response', {
      method,
      path,
      attempt,
      idempotencyKey,
      elapsedMs: performance.now() - attemptStarted,
      statusCode: response?.statusCode,
      requestId: response === undefined ? undefined : headerValue(response.headers, 'x-request-id'),
      error,
    });
  }

  /** Error bodies are kept in errors: make sure a server echoing the key cannot leak it there. */
  #redact(text: string): string {
    return text.includes(this.#apiKey) ? text.split(this.#apiKey).join('[REDACTED]') : text;
  }

  /** The body and headers an error keeps, without the key (a proxy may echo the request's headers). */
  #redactResponse(response: HttpTransportResponse): { statusCode: number; headers: HttpHeaders; body: string } {
    return { statusCode: response.statusCode, headers: this.#redactHeaders(response.headers), body: this.#redact(response.body) };
  }

  #redactHeaders(headers: HttpHeaders): HttpHeaders {
    const leaks = Object.values(headers).some((value) => (Array.isArray(value) ? value : [value ?? '']).some((v) => v.includes(this.#apiKey)));
    if (!leaks) return headers;
    return Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.map((v) => this.#redact(v)) : value === undefined ? value : this.#redact(value)]),
    );
  }

  /**
   * The error body parsed, the key removed from every string in it: JSON may spell the key with
   * escapes (`\u005f`) that the text search misses and parsing decodes. `undefined` when not JSON.
   */
  #parseRedacted(body: string): unknown {
    if (body.length === 0) return undefined;
    try {
      return this.#redactValue(JSON.parse(body));
    } catch {
      return undefined;
    }
  }

  #redactValue(value: unknown): unknown {
    if (typeof value === 'string') return this.#redact(value);
    if (Array.isArray(value)) return value.map((item) => this.#redactValue(item));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.#redactValue(item)]));
    }
    return value;
  }
}

/** Resolves `true` after `ms`, or `false` as soon as `signal` aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
