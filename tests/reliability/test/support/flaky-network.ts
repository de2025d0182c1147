import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Observable, tap } from 'rxjs';
import { seededRandom } from './prng';

/** Counts of what the flaky network did to webhook deliveries. */
export interface FlakyNetworkStats {
  /** Answered 503 before the app saw the request. */
  rejectedBefore: number;
  /** Connection dropped before the app saw the request. */
  resetBefore: number;
  /** Connection dropped after the handlers ran, before the answer left (the sender sees a failure). */
  resetAfter: number;
}

export interface FlakyNetworkOptions {
  seed: number;
  /** Path prefix the faults apply to, e.g. `/webhooks/paymnt`. */
  path: string;
  rejectBefore: number;
  resetBefore: number;
  resetAfter: number;
}

/**
 * The network between the sandbox and the app, made unreliable on purpose: an Express middleware
 * (runs before the webhook guard) answers 503 or drops the connection, and an interceptor (runs
 * after the guard has dispatched the event) drops the connection so the answer never arrives.
 * Seeded, so a run is reproducible.
 */
export class FlakyNetwork {
  readonly stats: FlakyNetworkStats = { rejectedBefore: 0, resetBefore: 0, resetAfter: 0 };
  private readonly random: () => number;
  enabled = true;

  constructor(private readonly options: FlakyNetworkOptions) {
    this.random = seededRandom(options.seed);
  }

  /** Express middleware: `app.use(network.middleware)`. */
  readonly middleware = (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    if (!this.enabled || !(req.url ?? '').startsWith(this.options.path)) return next();
    const roll = this.random();
    if (roll < this.options.rejectBefore) {
      this.stats.rejectedBefore++;
      res.writeHead(503, { 'content-type': 'text/plain', connection: 'close' });
      res.end('flaky network: 503');
      return;
    }
    if (roll < this.options.rejectBefore + this.options.resetBefore) {
      this.stats.resetBefore++;
      req.socket.destroy();
      return;
    }
    next();
  };

  /** Interceptor: `app.useGlobalInterceptors(network.interceptor)`. */
  readonly interceptor: NestInterceptor = {
    intercept: (context: ExecutionContext, next: CallHandler): Observable<unknown> => {
      const req = context.switchToHttp().getRequest<IncomingMessage>();
      const drop = this.enabled && (req.url ?? '').startsWith(this.options.path) && this.random() < this.options.resetAfter;
      return next.handle().pipe(
        tap(() => {
          if (!drop) return;
          this.stats.resetAfter++;
          req.socket.destroy();
        }),
      );
    },
  };
}
