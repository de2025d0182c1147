import type { PaymntResponse } from '../http/request-events';
import type { RequestSender } from '../http/request-sender';
import type { RequestOptions } from '../models/common';
import type {
  Payment,
  PaymentCancelParams,
  PaymentCaptureParams,
  PaymentConfirmParams,
  PaymentCreateParams,
  PaymentIncrementalAuthorizationParams,
  PaymentListParams,
  PaymentRetrieveParams,
  PaymentUpdateParams,
} from '../models/payment';
import type { PagePromise } from '../pagination/page-promise';
import { paymentListPagePromise } from '../pagination/payment-list.paginator';
import {
  assertIncrementalAuthorization,
  assertPaymentCancel,
  assertPaymentCapture,
  assertPaymentRequest,
  assertPaymentRetrieve,
} from '../validation/payment.validators';
import { toQueryString } from '../validation/query-string';
import { pathSegment } from '../validation/validators';

/**
 * `client.payments`: the payment endpoints. Every POST carries an `Idempotency-Key` (yours via
 * `options.idempotencyKey`, or a generated uuid) that is reused on every retry. Parameters are
 * checked locally first (`PaymntValidationError`, nothing sent).
 */
export class PaymentsResource {
  readonly #sender: RequestSender;

  /** @internal Created by `PaymntClient`. */
  constructor(sender: RequestSender) {
    this.#sender = sender;
  }

  /**
   * Creates a payment (`POST /payments`); with `confirm: true` it is also confirmed.
   *
   * A declined card is NOT an exception: the API answers HTTP 200 and the returned payment has
   * `status: "failed"` with the connector's `error_code` / `error_message`. Always check
   * `payment.status`. Exceptions mean the request itself failed (`PaymntError` subclasses).
   */
  async create(params: PaymentCreateParams, options?: RequestOptions): Promise<PaymntResponse<Payment>> {
    assertPaymentRequest(params, 'create');
    return this.#sender.request<Payment>({ method: 'POST', path: '/payments', body: params, options });
  }

  /** Retrieves a payment (`GET /payments/{id}`); `force_sync: true` asks the connector for the latest status. */
  async retrieve(id: string, params?: PaymentRetrieveParams, options?: RequestOptions): Promise<PaymntResponse<Payment>> {
    const segment = pathSegment(id, 'payment_id');
    assertPaymentRetrieve(params);
    const query = toQueryString(params as Record<string, unknown> | undefined, 'params');
    return this.#sender.request<Payment>({ method: 'GET', path: `/payments/${segment}`, query, options });
  }

  /** Updates a payment that is not yet confirmed (`POST /payments/{id}`). */
  async update(id: string, params: PaymentUpdateParams, options?: RequestOptions): Promise<PaymntResponse<Payment>> {
    const segment = pathSegment(id, 'payment_id');
    assertPaymentRequest(params, 'update');
    return this.#sender.request<Payment>({ method: 'POST', path: `/payments/${segment}`, body: params, options });
  }

  /**
   * Confirms a payment (`POST /payments/{id}/confirm`; `{}` is sent when there are no params).
   *
   * A decline is NOT an exception: HTTP 200 with `status: "failed"` and `error_code` /
   * `error_message`. 3DS gives `requires_customer_action` with `next_action.redirect_to_url`.
   * Check `payment.status` before fulfilling.
   */
  async confirm(id: string, params?: PaymentConfirmParams, options?: RequestOptions): Promise<PaymntResponse<Payment>> {
    const segment = pathSegment(id, 'payment_id');
    assertPaymentRequest(params, 'confirm');
    return this.#sender.request<Payment>({ method: 'POST', path: `/payments/${segment}/confirm`, body: params, options });
  }

  /** Captures an authorized payment, fully or partly (`POST /payments/{id}/capture`). */
  async capture(id: string, params?: PaymentCaptureParams, options?: RequestOptions): Promise<PaymntResponse<Payment>> {
    const segment = pathSegment(id, 'payment_id');
    assertPaymentCapture(params);
    return this.#sender.request<Payment>({ method: 'POST', path: `/payments/${segment}/capture`, body: params, options });
  }

  /** Voids a payment before capture (`POST /payments/{id}/cancel`). */
  async cancel(id: string, params?: PaymentCancelParams, options?: RequestOptions): Promise<PaymntResponse<Payment>> {
    const segment = pathSegment(id, 'payment_id');
    assertPaymentCancel(params);
    return this.#sender.request<Payment>({ method: 'POST', path: `/payments/${segment}/cancel`, body: params, options });
  }

  /** Voids a captured payment (`POST /payments/{id}/cancel_post_capture`); it can no longer be refunded. */
  async cancelPostCapture(id: string, params?: PaymentCancelParams, options?: RequestOptions): Promise<PaymntResponse<Payment>> {
    const segment = pathSegment(id, 'payment_id');
    assertPaymentCancel(params);
    return this.#sender.request<Payment>({ method: 'POST', path: `/payments/${segment}/cancel_post_capture`, body: params, options });
  }

  /**
   * Raises the authorized amount of a `requires_capture` payment (`POST /payments/{id}/incremental_authorization`).
   * `amount` is the NEW TOTAL, greater than the amount authorized so far.
   */
  async incrementalAuthorization(
    id: string,
    params: PaymentIncrementalAuthorizationParams,
    options?: RequestOptions,
  ): Promise<PaymntResponse<Payment>> {
    const segment = pathSegment(id, 'payment_id');
    assertIncrementalAuthorization(params);
    return this.#sender.request<Payment>({ method: 'POST', path: `/payments/${segment}/incremental_authorization`, body: params, options });
  }

  /**
   * Lists payments, newest first (`GET /payments/list`). Await it for the first page, or
   * `for await (const payment of client.payments.list({ limit: 100 }))` for every payment exactly
   * once (the API's inclusive `ending_before` bound is de-duplicated).
   */
  list(params?: PaymentListParams, options?: RequestOptions): PagePromise<Payment> {
    return paymentListPagePromise(this.#sender, params, options);
  }
}
