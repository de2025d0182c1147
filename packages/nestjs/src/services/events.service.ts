import { inspect, type InspectOptions } from 'node:util';
import { Injectable } from '@nestjs/common';
import type { EventDeliveryAttempt, EventListItem, EventListParams, PagePromise, PaymntClient, PaymntResponse, RequestOptions } from '@paymnt/client';
import { inspectWithoutSecrets } from '../options/redact-paymnt-options';
import { InjectPaymntClient } from '../paymnt.decorators';

/**
 * Every operation of `client.events` (the webhook events the API recorded, their delivery
 * attempts, manual redelivery), same names and signatures. Needs the `merchantId` option. Nothing
 * is published from here: a redelivered event reaches the handlers through the verified webhook route.
 */
@Injectable()
export class EventsService {
  constructor(@InjectPaymntClient() protected readonly client: PaymntClient) {}

  /** Safe to log or serialize: the client shows its settings, never its key. */
  toJSON(): Record<string, unknown> {
    return { client: this.client };
  }

  [inspect.custom](_depth: number, options: InspectOptions): string {
    return inspectWithoutSecrets(this.constructor.name, this.toJSON(), options);
  }

  /** `POST /events/{merchant_id}`: await it for one page, or `for await` over every event. */
  list(params?: EventListParams, options?: RequestOptions): PagePromise<EventListItem> {
    return this.client.events.list(params, options);
  }

  /** `GET /events/{merchant_id}/{event_id}/attempts`. */
  listAttempts(eventId: string, options?: RequestOptions): Promise<PaymntResponse<EventDeliveryAttempt[]>> {
    return this.client.events.listAttempts(eventId, options);
  }

  /** `POST /events/{merchant_id}/{event_id}/retry`: delivers the event again now. */
  retry(eventId: string, options?: RequestOptions): Promise<PaymntResponse<EventDeliveryAttempt>> {
    return this.client.events.retry(eventId, options);
  }
}
