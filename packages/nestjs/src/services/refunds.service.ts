import { inspect, type InspectOptions } from 'node:util';
import { Injectable } from '@nestjs/common';
import type {
  PagePromise,
  PaymntClient,
  PaymntResponse,
  Refund,
  RefundCreateParams,
  RefundListParams,
  RefundRetrieveParams,
  RefundUpdateParams,
  RequestOptions,
} from '@paymnt/client';
import { PaymntEventPublisher } from '../events/paymnt-event.publisher';
import { inspectWithoutSecrets } from '../options/redact-paymnt-options';
import { InjectPaymntClient } from '../paymnt.decorators';

/**
 * Every operation of `client.refunds`, same names and signatures. A call returning a refund in a
 * final state publishes `refund_succeeded` / `refund_failed` (`source: 'api'`) once per
 * transition; handler failures are logged, never thrown.
 */
@Injectable()
export class RefundsService {
  constructor(
    @InjectPaymntClient() protected readonly client: PaymntClient,
    protected readonly publisher: PaymntEventPublisher,
  ) {}

  /** Safe to log or serialize: the client shows its settings, never its key. */
  toJSON(): Record<string, unknown> {
    return { client: this.client };
  }

  [inspect.custom](_depth: number, options: InspectOptions): string {
    return inspectWithoutSecrets(this.constructor.name, this.toJSON(), options);
  }

  /** `POST /refunds`. */
  async create(params: RefundCreateParams, options?: RequestOptions): Promise<PaymntResponse<Refund>> {
    return this.published(await this.client.refunds.create(params, options));
  }

  /** `GET /refunds/{id}`. Publishes only with `force_sync: true`. */
  async retrieve(refundId: string, params?: RefundRetrieveParams, options?: RequestOptions): Promise<PaymntResponse<Refund>> {
    const refund = await this.client.refunds.retrieve(refundId, params, options);
    return params?.force_sync === true ? this.published(refund) : refund;
  }

  /** `POST /refunds/{id}` (reason, metadata). */
  async update(refundId: string, params: RefundUpdateParams, options?: RequestOptions): Promise<PaymntResponse<Refund>> {
    return this.published(await this.client.refunds.update(refundId, params, options));
  }

  /** `POST /refunds/list`: await it for one page, or `for await` over every refund. Publishes nothing. */
  list(params?: RefundListParams, options?: RequestOptions): PagePromise<Refund> {
    return this.client.refunds.list(params, options);
  }

  private async published<T extends Refund>(refund: T): Promise<T> {
    await this.publisher.publishRefund(refund);
    return refund;
  }
}
