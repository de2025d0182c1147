import type { PaymntResponse } from '../http/request-events';
import type { RequestSender } from '../http/request-sender';
import type { RequestOptions } from '../models/common';
import type { Refund, RefundCreateParams, RefundListParams, RefundRetrieveParams, RefundUpdateParams } from '../models/refund';
import type { PagePromise } from '../pagination/page-promise';
import { refundListPagePromise } from '../pagination/refund-list.paginator';
import { toQueryString } from '../validation/query-string';
import { assertRefundCreate, assertRefundRetrieve, assertRefundUpdate } from '../validation/refund.validators';
import { pathSegment } from '../validation/validators';

/** `client.refunds`: the refund endpoints. Parameters are checked locally before any request. */
export class RefundsResource {
  readonly #sender: RequestSender;

  /** @internal Created by `PaymntClient`. */
  constructor(sender: RequestSender) {
    this.#sender = sender;
  }

  /**
   * Refunds a `succeeded` or `partially_captured` payment (`POST /refunds`), fully when `amount`
   * is omitted. A refund the connector refuses comes back with `status: "failed"`, not as an exception.
   */
  async create(params: RefundCreateParams, options?: RequestOptions): Promise<PaymntResponse<Refund>> {
    assertRefundCreate(params);
    return this.#sender.request<Refund>({ method: 'POST', path: '/refunds', body: params, options });
  }

  /** Retrieves a refund (`GET /refunds/{id}`). */
  async retrieve(id: string, params?: RefundRetrieveParams, options?: RequestOptions): Promise<PaymntResponse<Refund>> {
    const segment = pathSegment(id, 'refund_id');
    assertRefundRetrieve(params);
    const query = toQueryString(params as Record<string, unknown> | undefined, 'params');
    return this.#sender.request<Refund>({ method: 'GET', path: `/refunds/${segment}`, query, options });
  }

  /** Updates a refund's `reason` or `metadata` (`POST /refunds/{id}`). */
  async update(id: string, params: RefundUpdateParams, options?: RequestOptions): Promise<PaymntResponse<Refund>> {
    const segment = pathSegment(id, 'refund_id');
    assertRefundUpdate(params);
    return this.#sender.request<Refund>({ method: 'POST', path: `/refunds/${segment}`, body: params, options });
  }

  /**
   * Lists refunds, most recently modified first (`POST /refunds/list`, offset paging). Await it for
   * the first page, or `for await (const refund of client.refunds.list({ payment_id }))` for all.
   */
  list(params?: RefundListParams, options?: RequestOptions): PagePromise<Refund> {
    return refundListPagePromise(this.#sender, params, options);
  }
}
