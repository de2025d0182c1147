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
    const response = await this.#fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: request.signal,
    });
    const body = await response.text();
    const headers: HttpHeaders = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return { statusCode: response.status, headers, body };
  }
}
