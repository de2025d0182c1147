import { inspect, type InspectOptions } from 'node:util';
import { Injectable, Optional } from '@nestjs/common';
import type {
  PagePromise,
  Payment,
  PaymentCancelParams,
  PaymentCaptureParams,
  PaymentConfirmParams,
  PaymentCreateParams,
  PaymentIncrementalAuthorizationParams,
  PaymentListParams,
  PaymentRetrieveParams,
  PaymentUpdateParams,
  PaymntClient,
  PaymntResponse,
  RequestOptions,
} from '@paymnt/client';
import { PaymntEventPublisher } from '../events/paymnt-event.publisher';
import { inspectWithoutSecrets } from '../options/redact-paymnt-options';
import { InjectPaymntClient } from '../paymnt.decorators';
import { PaymntReconciliationService } from '../reconciliation/paymnt-reconciliation.service';

/**
 * Every operation of `client.payments`, same names and signatures. Each call that can change the
 * payment's state then publishes the domain event of the resulting status (`source: 'api'`) and
 * waits for its handlers, once per transition (the webhook of the same transition is then a
 * duplicate). Handler failures are logged, never thrown: the API call itself succeeded.
 * API errors are the client's `PaymntError`s (map them with `PaymntExceptionFilter`).
 * A declined card is not an error: the payment comes back with `status: 'failed'`.
 */
@Injectable()
export class PaymentsService {
  constructor(
    @InjectPaymntClient() protected readonly client: PaymntClient,
    protected readonly publisher: PaymntEventPublisher,
    /** Tracks pending payments when the `reconciliation` option is set. */
    @Optional() protected readonly reconciliation?: PaymntReconciliationService,
  ) {}

  /** Safe to log or serialize: the client shows its settings, never its key. */
  toJSON(): Record<string, unknown> {
    return { client: this.client };
  }

  [inspect.custom](_depth: number, options: InspectOptions): string {
    return inspectWithoutSecrets(this.constructor.name, this.toJSON(), options);
  }

  /** `POST /payments` (with `confirm: true`, create and confirm in one call). */
  async create(params: PaymentCreateParams, options?: RequestOptions): Promise<PaymntResponse<Payment>> {
    return this.published(await this.client.payments.create(params, options));
  }

  /** `GET /payments/{id}`. Publishes only with `force_sync: true` (a sync, after which the API sends webhooks too). */
  async retrieve(paymentId: string, params?: PaymentRetrieveParams, options?: RequestOptions): Promise<PaymntResponse<Payment>> {
    const payment = await this.client.payments.retrieve(paymentId, params, options);
    return params?.force_sync === true ? this.published(payment) : payment;
  }

  /** `POST /payments/{id}`. */
  async update(paymentId: string, params: PaymentUpdateParams, options?: RequestOptions): Promise<PaymntResponse<Payment>> {
    return this.published(await this.client.payments.update(paymentId, params, options));
  }

  /** `POST /payments/{id}/confirm`. */
  async confirm(paymentId: string, params?: PaymentConfirmParams, options?: RequestOptions): Promise<PaymntResponse<Payment>> {
    return this.published(await this.client.payments.confirm(paymentId, params, options));
  }

  /** `POST /payments/{id}/capture` (full by default, or `amount_to_capture`). */
  async capture(paymentId: string, params?: PaymentCaptureParams, options?: RequestOptions): Promise<PaymntResponse<Payment>> {
    return this.published(await this.client.payments.capture(paymentId, params, options));
  }

  /** `POST /payments/{id}/cancel` (void an authorization). */
  async cancel(paymentId: string, params?: PaymentCancelParams, options?: RequestOptions): Promise<PaymntResponse<Payment>> {
    return this.published(await this.client.payments.cancel(paymentId, params, options));
  }

  /** `POST /payments/{id}/cancel_post_capture`. */
  async cancelPostCapture(paymentId: string, params?: PaymentCancelParams, options?: RequestOptions): Promise<PaymntResponse<Payment>> {
    return this.published(await this.client.payments.cancelPostCapture(paymentId, params, options));
  }

  /** `POST /payments/{id}/incremental_authorization` (`amount` is the new total). */
  async incrementalAuthorization(
    paymentId: string,
    params: PaymentIncrementalAuthorizationParams,
    options?: RequestOptions,
  ): Promise<PaymntResponse<Payment>> {
    return this.published(await this.client.payments.incrementalAuthorization(paymentId, params, options));
  }

  /** `GET /payments/list`: await it for one page, or `for await` over every payment. Publishes nothing. */
  list(params?: PaymentListParams, options?: RequestOptions): PagePromise<Payment> {
    return this.client.payments.list(params, options);
  }

  private async published<T extends Payment>(payment: T): Promise<T> {
    await this.publisher.publishPayment(payment);
    if (this.reconciliation?.enabled === true) await this.reconciliation.observe(payment);
    return payment;
  }
}
