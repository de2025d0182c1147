import { inspect, type InspectOptions } from 'node:util';
import { Injectable } from '@nestjs/common';
import type { Payment, PaymntClient, RequestOptions } from '@paymnt/client';
import { PaymntConfigurationError } from '../errors/paymnt-configuration.error';
import { PaymntModuleError } from '../errors/paymnt-module.error';
import type { ResolvedPaymntOptions } from '../options/paymnt-module-options.interface';
import { inspectWithoutSecrets, PAYMNT_REDACTED } from '../options/redact-paymnt-options';
import { InjectPaymntClient, InjectPaymntOptions } from '../paymnt.decorators';

/**
 * What a checkout page needs to confirm a payment in the browser: it calls
 * `POST {apiBaseUrl}/payments/{paymentId}/confirm` with the header `api-key: publishableKey` and
 * `client_secret` in the body (then follows `next_action.redirect_to_url` for 3DS). Hand it to the
 * customer who pays this payment only: the client secret lets them confirm and read it.
 */
export interface PaymntClientConfirmation {
  /** `pay_…` */
  paymentId: string;
  /** The payment's `client_secret` (`{payment_id}_secret_…`). */
  clientSecret: string;
  /** The module's `publishableKey` (`pk_…`): meant for the browser. */
  publishableKey: string;
  /** The API's base URL the browser calls (the client's `baseUrl`), without a trailing slash. */
  apiBaseUrl: string;
}

/** A payment as `clientConfirmation()` takes it: one the server created (with its `client_secret`). */
export type PaymntConfirmablePayment = Pick<Payment, 'payment_id' | 'client_secret'>;

/**
 * Client-side confirmation, as Hyperswitch's SDK flow does it: the server creates the payment
 * (`PaymentsService.create()` without `confirm`) and gives the page its client secret and the
 * publishable key; the browser sends the card to the API itself, so card numbers never reach the
 * app's server (out of its PCI scope). The app learns the outcome from the payment's webhooks
 * (its `@OnPaymntEvent` handlers), as for any other payment.
 */
@Injectable()
export class PaymntCheckoutService {
  constructor(
    @InjectPaymntClient() protected readonly client: PaymntClient,
    @InjectPaymntOptions() protected readonly options: ResolvedPaymntOptions,
  ) {}

  /** Safe to log or serialize: shows the client's settings, never a key. */
  toJSON(): Record<string, unknown> {
    return { client: this.client, publishableKey: this.options.publishableKey === undefined ? undefined : PAYMNT_REDACTED };
  }

  [inspect.custom](_depth: number, options: InspectOptions): string {
    return inspectWithoutSecrets(this.constructor.name, this.toJSON(), options);
  }

  /**
   * The confirmation data of a payment: the payment itself (as `PaymentsService.create()` returned
   * it), or its id (then fetched with `GET /payments/{id}` for its client secret).
   *
   * @throws PaymntConfigurationError naming `publishableKey` when the module has none (before any API call).
   * @throws PaymntModuleError when the payment carries no `client_secret`.
   */
  async clientConfirmation(paymentOrId: string | PaymntConfirmablePayment, options?: RequestOptions): Promise<PaymntClientConfirmation> {
    const publishableKey = this.options.publishableKey;
    if (publishableKey === undefined) {
      throw new PaymntConfigurationError(
        'publishableKey',
        'is not set: PaymntCheckoutService.clientConfirmation() hands it to the browser. Give PaymntModule the publishable key (pk_...), e.g. from process.env.PAYMNT_PUBLISHABLE_KEY',
      );
    }
    const payment = typeof paymentOrId === 'string' ? await this.client.payments.retrieve(paymentOrId, undefined, options) : paymentOrId;
    if (typeof payment.client_secret !== 'string' || payment.client_secret === '') {
      throw new PaymntModuleError(`Payment ${payment.payment_id} has no client_secret: the browser cannot confirm it`);
    }
    return {
      paymentId: payment.payment_id,
      clientSecret: payment.client_secret,
      publishableKey,
      apiBaseUrl: this.client.baseUrl.replace(/\/+$/, ''),
    };
  }
}
