import { inspect } from 'node:util';
import { resolveClientOptions, resolveWebhookSecrets, type PaymntClientOptions, type ResolvedClientOptions } from './client-options';
import type { PaymntClientEventMap, PaymntClientListener } from './http/request-events';
import { RequestHooks } from './http/request-hooks';
import { RequestSender } from './http/request-sender';
import type { HttpTransport } from './http/transport';
import { UndiciTransport } from './http/undici-transport';
import type { WebhookEvent } from './models/webhook-event';
import { CustomersResource } from './resources/customers.resource';
import { DisputesResource } from './resources/disputes.resource';
import { EventsResource } from './resources/events.resource';
import { MandatesResource } from './resources/mandates.resource';
import { PaymentMethodsResource } from './resources/payment-methods.resource';
import { PaymentsResource } from './resources/payments.resource';
import { RefundsResource } from './resources/refunds.resource';
import { WebhooksResource } from './resources/webhooks.resource';
import { constructWebhookEvent, type ConstructWebhookEventOptions } from './webhooks/construct-webhook-event';

/**
 * The Paymnt API client.
 *
 * ```ts
 * const paymnt = new PaymntClient({ apiKey: process.env.PAYMNT_API_KEY! });
 * const payment = await paymnt.payments.create({ amount: 6540, currency: 'USD', confirm: true, ... });
 * if (payment.status === 'failed') { ... } // a decline is a result, not an exception
 * ```
 *
 * The API key is held in a private field: it never shows in `util.inspect`, `JSON.stringify`,
 * errors or events.
 */
export class PaymntClient {
  /** Payments: create, retrieve, update, confirm, capture, cancel, list... */
  readonly payments: PaymentsResource;
  /** Refunds: create, retrieve, update, list. */
  readonly refunds: RefundsResource;
  /** Customers: create, retrieve, update, del, list, listPaymentMethods. */
  readonly customers: CustomersResource;
  /** Saved payment methods: create, retrieve, update, del, setDefault, listForCustomer. */
  readonly paymentMethods: PaymentMethodsResource;
  /** Mandates: retrieve, revoke, listForCustomer, list. */
  readonly mandates: MandatesResource;
  /** Disputes: list, retrieve, accept, evidence. */
  readonly disputes: DisputesResource;
  /** Webhook events: list, listAttempts, retry (needs the `merchantId` option). */
  readonly events: EventsResource;
  /** Webhook verification (`constructEvent`). */
  readonly webhooks: WebhooksResource;

  readonly #options: ResolvedClientOptions;
  readonly #hooks = new RequestHooks();
  readonly #sender: RequestSender;
  readonly #transport: HttpTransport;
  readonly #ownsTransport: boolean;

  /** @throws PaymntValidationError naming the bad option. */
  constructor(options: PaymntClientOptions) {
    this.#options = resolveClientOptions(options);
    this.#ownsTransport = options.transport === undefined;
    this.#transport = options.transport ?? new UndiciTransport();
    this.#sender = new RequestSender(options.apiKey, this.#options, this.#transport, this.#hooks);
    this.payments = new PaymentsResource(this.#sender);
    this.refunds = new RefundsResource(this.#sender);
    this.customers = new CustomersResource(this.#sender);
    this.paymentMethods = new PaymentMethodsResource(this.#sender);
    this.mandates = new MandatesResource(this.#sender);
    this.disputes = new DisputesResource(this.#sender);
    this.events = new EventsResource(this.#sender, this.#options.merchantId);
    this.webhooks = new WebhooksResource(resolveWebhookSecrets(options.webhookSecret, 'webhookSecret'));
  }

  /** The base URL requests go to. */
  get baseUrl(): string {
    return this.#options.baseUrl;
  }

  /**
   * Verifies a webhook without a client instance (same as `client.webhooks.constructEvent`).
   * @see constructWebhookEvent
   */
  static constructWebhookEvent(
    rawBody: Buffer | string,
    signature: string | string[] | undefined,
    secrets: string | readonly string[] | undefined,
    options?: ConstructWebhookEventOptions,
  ): WebhookEvent {
    return constructWebhookEvent(rawBody, signature, secrets, options);
  }

  /**
   * Listens to every attempt: `'request'` before it, `'response'` after it (with `statusCode`,
   * `requestId`, or the `error`). Events never contain headers or secrets; a throwing listener is ignored.
   */
  on<K extends keyof PaymntClientEventMap>(event: K, listener: PaymntClientListener<K>): this {
    this.#hooks.on(event, listener);
    return this;
  }

  /** Removes a listener added with `on`. */
  off<K extends keyof PaymntClientEventMap>(event: K, listener: PaymntClientListener<K>): this {
    this.#hooks.off(event, listener);
    return this;
  }

  /**
   * Closes the default transport's connection pools (after in-flight requests) and refuses further
   * calls (`PaymntConnectionError` code `client_closed`). A transport passed in options is left to its owner.
   */
  async close(): Promise<void> {
    this.#sender.markClosed();
    if (this.#ownsTransport) await this.#transport.close?.();
  }

  /** Safe to log: the settings without the key. */
  toJSON(): Record<string, unknown> {
    const { baseUrl, profileId, merchantId, timeoutMs, maxRetries, maxRetryDelayMs, initialRetryDelayMs, maxRetryDurationMs } = this.#options;
    return { baseUrl, profileId, merchantId, timeoutMs, maxRetries, maxRetryDelayMs, initialRetryDelayMs, maxRetryDurationMs, apiKey: '[REDACTED]' };
  }

  [inspect.custom](_depth: number, options: object): string {
    return `PaymntClient ${inspect(this.toJSON(), options)}`;
  }
}
