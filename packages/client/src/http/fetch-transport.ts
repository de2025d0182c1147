import { TransportTimeoutError } from './transport-timeout.error';
import type { HttpHeaders, HttpTransport, HttpTransportRequest, HttpTransportResponse } from './transport';

/** Options of `FetchTransport`. */
export interface FetchTransportOptions {
  /**
   * The fetch implementation.
   * @default globalThis.fetch
   */
  fetch?: typeof fetch;
}

/**
 * A transport on WHATWG `fetch`, for runtimes or setups where undici pools are not wanted
 * (instrumented fetch, edge-like runtimes). About a third of the default transport's throughput.
 */
export class FetchTransport implements HttpTransport {
  readonly #fetch: typeof fetch;

  constructor(options: FetchTransportOptions = {}) {
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  async request(request: HttpTransportRequest): Promise<HttpTransportResponse> {
    const { signal: callerSignal, timeoutMs } = request;
    // One controller for both the timeout and the caller's signal; the timer is cleared after
    // every request (AbortSignal.timeout would leave one pending per request).
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onCallerAbort = (): void => controller.abort(callerSignal?.reason);
    callerSignal?.addEventListener('abort', onCallerAbort);
    try {
      if (callerSignal?.aborted) throw callerSignal.reason;
      const response = await this.#fetch(request.url, { method: request.method, headers: request.headers, body: request.body, signal: controller.signal });
      const body = await response.text();
      const headers: HttpHeaders = {};
      response.headers.forEach((value, name) => {
        headers[name] = value;
      });
      return { statusCode: response.status, headers, body };
    } catch (error) {
      if (timedOut) throw new TransportTimeoutError(timeoutMs, { cause: error });
      if (callerSignal?.aborted) throw callerSignal.reason ?? error;
      throw error;
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    }
  }
}
