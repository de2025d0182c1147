import type { Refund, RefundEventType, RefundWebhookEvent } from '@paymnt/client';
import { PAYMNT_DEFAULT_INSTANCE } from '../paymnt.tokens';
import type { PaymntEventSource } from './paymnt-event.types';

/**
 * A refund reached a final state. Emitted as `'paymnt.' + type`, once per (refund, event type)
 * whether it was learned from a webhook or from an API response.
 */
export class RefundEvent<T extends RefundEventType = RefundEventType> {
  constructor(
    /** The webhook's `event_id`, or `api_<uuid>` when learned from an API response. */
    readonly eventId: string,
    /** The API's event type, e.g. `refund_succeeded`. */
    readonly type: T,
    /** The refund as the webhook or the API response had it. */
    readonly refund: Refund,
    /** The webhook's `timestamp`, or the refund's `updated_at` for an API response. */
    readonly timestamp: string,
    /** Where the module learned it. */
    readonly source: PaymntEventSource,
    /** The verified webhook body, for `source: 'webhook'`. */
    readonly raw?: RefundWebhookEvent<T>,
    /**
     * The module instance that published it: its `name` (see `PaymntModule.forRoot({ name })`),
     * `'default'` for the unnamed one. Lets one handler tell the accounts of an app apart.
     */
    readonly instance: string = PAYMNT_DEFAULT_INSTANCE,
  ) {}
}

export type RefundSucceededEvent = RefundEvent<'refund_succeeded'>;
export type RefundFailedEvent = RefundEvent<'refund_failed'>;
