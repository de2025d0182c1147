import type { WebhookEvent } from '../models/webhook-event';
import { constructWebhookEvent, type ConstructWebhookEventOptions } from '../webhooks/construct-webhook-event';

/** `client.webhooks`: verification of incoming webhooks. */
export class WebhooksResource {
  readonly #secrets: readonly string[];

  /** @internal Created by `PaymntClient` with its `webhookSecret` option. */
  constructor(secrets: readonly string[]) {
    this.#secrets = secrets;
  }

  /**
   * Verifies a webhook and returns the typed event (see `constructWebhookEvent`). `rawBody` must be
   * the exact bytes received; `signature` is the `x-webhook-signature-512` header; `secrets`
   * defaults to the client's `webhookSecret`, and without any the call fails with reason `no_secret`.
   */
  constructEvent(
    rawBody: Buffer | string,
    signature: string | string[] | undefined,
    secrets?: string | string[],
    options?: ConstructWebhookEventOptions,
  ): WebhookEvent {
    return constructWebhookEvent(rawBody, signature, secrets ?? this.#secrets, options);
  }
}
