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
  /** JSON text, or the bytes of a multipart body (`client.disputes.attachEvidence`); absent on GET. */
  body?: string | Uint8Array;
  /**
   * The attempt's time budget, from the call to the last body byte (queueing and connecting
   * included). The transport MUST then stop the request and reject with a `TransportTimeoutError`
   * (or any error whose `code` is `'ETIMEDOUT'`).
   */
  timeoutMs: number;
  /** The caller's signal, when one was given. The transport MUST stop the request and reject as soon as it aborts. */
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
 * The swappable HTTP layer. Reject only when no complete HTTP response was received (network
 * error, timeout, abort); resolve for every status code. Retries, idempotency keys and error
 * mapping stay in the client: a transport sends one attempt.
 */
export interface HttpTransport {
  request(request: HttpTransportRequest): Promise<HttpTransportResponse>;
  /** Releases sockets and pools. Called by `PaymntClient.close()` for the default transport. */
  close?(): Promise<void>;
}
