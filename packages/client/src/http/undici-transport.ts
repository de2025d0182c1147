import { EventEmitter } from 'node:events';
import { Pool, type Dispatcher } from 'undici';
import { TransportTimeoutError } from './transport-timeout.error';
import type { HttpTransport, HttpTransportRequest, HttpTransportResponse } from './transport';

/** Options of the default transport. */
export interface UndiciTransportOptions {
  /**
   * Sockets kept per origin; requests beyond it queue. Enough for 64+ concurrent calls.
   * @default 128
   */
  connections?: number;
  /**
   * How long an idle keep-alive socket is kept, in milliseconds (below Node servers' 5 s default).
   * @default 4000
   */
  keepAliveTimeoutMs?: number;
  /**
   * TCP + TLS connect timeout, in milliseconds (the attempt's `timeoutMs` bounds it too).
   * @default 10000
   */
  connectTimeoutMs?: number;
  /**
   * Use this undici dispatcher (an `Agent`, `ProxyAgent`, `MockAgent`...) instead of the
   * transport's own pools. It is not closed by `close()`: its owner closes it.
   */
  dispatcher?: Dispatcher;
}

/**
 * The default transport: undici connection pools with keep-alive, one per origin. Much faster
 * than global `fetch` under concurrency (no WHATWG streams, no URL parsing per request).
 */
export class UndiciTransport implements HttpTransport {
  readonly #pools = new Map<string, Pool>();
  readonly #options: Required<Omit<UndiciTransportOptions, 'dispatcher'>>;
  readonly #dispatcher: Dispatcher | undefined;

  constructor(options: UndiciTransportOptions = {}) {
    this.#options = {
      connections: options.connections ?? 128,
      keepAliveTimeoutMs: options.keepAliveTimeoutMs ?? 4_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    };
    this.#dispatcher = options.dispatcher;
  }

  async request(request: HttpTransportRequest): Promise<HttpTransportResponse> {
    const { url, signal, timeoutMs } = request;
    // Split "scheme://host[:port]" from the path with two indexOf calls instead of new URL().
    const slash = url.indexOf('/', url.indexOf('//') + 2);
    const origin = slash === -1 ? url : url.slice(0, slash);
    const path = slash === -1 ? '/' : url.slice(slash);

    // undici accepts an EventEmitter as its abort signal. It costs a fraction of an
    // AbortController, whose AbortSignal alone takes microseconds to create in Node 20.
    const abort = new EventEmitter();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.emit('abort');
    }, timeoutMs);
    const onCallerAbort = (): void => void abort.emit('abort');
    signal?.addEventListener('abort', onCallerAbort);
    try {
      if (signal?.aborted) throw signal.reason;
      const options: Dispatcher.RequestOptions = { origin, path, method: request.method, headers: request.headers, body: request.body, signal: abort };
      const response = this.#dispatcher ? await this.#dispatcher.request(options) : await this.#pool(origin).request(options);
      // The abort listener stays on until the body is read, so the timeout covers it too.
      const body = await response.body.text();
      return { statusCode: response.statusCode, headers: response.headers, body };
    } catch (error) {
      if (timedOut) throw new TransportTimeoutError(timeoutMs, { cause: error });
      if (signal?.aborted) throw signal.reason ?? error;
      throw error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  /** Closes every pool this transport opened, after their in-flight requests finish. */
  async close(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }

  #pool(origin: string): Pool {
    let pool = this.#pools.get(origin);
    if (pool === undefined) {
      pool = new Pool(origin, {
        connections: this.#options.connections,
        keepAliveTimeout: this.#options.keepAliveTimeoutMs,
        connectTimeout: this.#options.connectTimeoutMs,
      });
      this.#pools.set(origin, pool);
    }
    return pool;
  }
}
