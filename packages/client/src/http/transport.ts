/** HTTP methods the client uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Response headers as Node reports them: lower-case names, repeated headers as arrays. */
export type HttpHeaders = Record<string, string | string[] | undefined>;

/** One HTTP attempt, as the request sender hands it to a transport. */
export interface HttpTransportRequest {
  method: HttpMethod;
  /** Absolute URL, query string included. */
  url: string;
  /** Lower-case header names. Contains the API key: a transport must never log it. */
  headers: Record<string, string>;
  /** JSON text; absent on GET. */
  body?: string;
  /** The attempt's time budget. The client enforces it through `signal`; a transport may also use it for its own socket timeouts. */
  timeoutMs: number;
  /** Aborted on timeout or when the caller aborts. A transport MUST stop the request and reject when it fires. */
  signal?: AbortSignal;
}

/** What a transport resolves with: any HTTP status is a response, not an error. */
export interface HttpTransportResponse {
  statusCode: number;
  headers: HttpHeaders;
  /** The whole body as text (the client parses JSON once). */
  body: string;
}

/**
 * The swappable HTTP layer. Reject only when no HTTP response was received (network error,
 * abort); resolve for every status code.
 */
export interface HttpTransport {
  request(request: HttpTransportRequest): Promise<HttpTransportResponse>;
  /** Releases sockets and pools. Called by `PaymntClient.close()` for the default transport. */
  close?(): Promise<void>;
}
