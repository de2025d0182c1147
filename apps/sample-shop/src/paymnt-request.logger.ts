import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { PaymntClient, ResponseEvent } from '@paymnt/client';
import { InjectPaymntClient } from '@paymnt/nestjs';

/**
 * Logs each call to the Paymnt API (method, path, status, idempotency key) through the client's
 * response hook. The hook's events never carry headers, bodies or the API key.
 */
@Injectable()
export class PaymntRequestLogger implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('PaymntApi');
  private readonly listener = (event: ResponseEvent): void => {
    const result = event.statusCode === undefined ? `failed (${event.error?.message ?? 'no answer'})` : String(event.statusCode);
    const code = event.error?.code ? ` ${event.error.code}` : '';
    const retry = event.attempt > 1 ? `, attempt ${event.attempt}` : '';
    const key = event.idempotencyKey === undefined ? '' : `, key ${event.idempotencyKey}`;
    this.logger.log(`${event.method} ${event.path} → ${result}${code} (${Math.round(event.elapsedMs)} ms${retry}${key})`);
  };

  constructor(@InjectPaymntClient() private readonly client: PaymntClient) {}

  onModuleInit(): void {
    this.client.on('response', this.listener);
  }

  onModuleDestroy(): void {
    this.client.off('response', this.listener);
  }
}
