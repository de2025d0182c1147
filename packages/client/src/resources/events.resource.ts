import { PaymntValidationError } from '../errors/validation.error';
import type { PaymntResponse } from '../http/request-events';
import type { RequestSender } from '../http/request-sender';
import type { RequestOptions } from '../models/common';
import type { EventDeliveryAttempt, EventListItem, EventListParams } from '../models/webhook-delivery';
import { eventListPagePromise } from '../pagination/event-list.paginator';
import type { PagePromise } from '../pagination/page-promise';
import { pathSegment } from '../validation/validators';

/**
 * `client.events`: the webhook events the API recorded for the merchant, their delivery attempts,
 * and manual redelivery. The paths name the merchant: set the client's `merchantId` option.
 */
export class EventsResource {
  readonly #sender: RequestSender;
  readonly #merchantId: string | undefined;

  /** @internal Created by `PaymntClient`. */
  constructor(sender: RequestSender, merchantId: string | undefined) {
    this.#sender = sender;
    this.#merchantId = merchantId;
  }

  /**
   * Lists events, newest first (`POST /events/{merchant_id}`, offset paging). Await it for the first
   * page, or `for await (const event of client.events.list({ is_delivered: false }))` for all.
   */
  list(params?: EventListParams, options?: RequestOptions): PagePromise<EventListItem> {
    return eventListPagePromise(this.#sender, () => `/events/${this.#merchantSegment()}`, params, options);
  }

  /** The delivery attempts of an event, oldest first (`GET /events/{merchant_id}/{event_id}/attempts`). */
  async listAttempts(eventId: string, options?: RequestOptions): Promise<PaymntResponse<EventDeliveryAttempt[]>> {
    const event = pathSegment(eventId, 'event_id');
    const path = `/events/${this.#merchantSegment()}/${event}/attempts`;
    return this.#sender.request<EventDeliveryAttempt[]>({ method: 'GET', path, options });
  }

  /**
   * Delivers the event again now, byte-identical and with the same signature
   * (`POST /events/{merchant_id}/{event_id}/retry`). Resolves with the new attempt: a non-2xx answer
   * of your endpoint is in `response.status_code`, not an exception.
   */
  async retry(eventId: string, options?: RequestOptions): Promise<PaymntResponse<EventDeliveryAttempt>> {
    const event = pathSegment(eventId, 'event_id');
    const path = `/events/${this.#merchantSegment()}/${event}/retry`;
    return this.#sender.request<EventDeliveryAttempt>({ method: 'POST', path, options });
  }

  #merchantSegment(): string {
    if (this.#merchantId === undefined) {
      throw new PaymntValidationError('merchantId', 'is required by client.events: set the merchantId client option');
    }
    return encodeURIComponent(this.#merchantId);
  }
}
