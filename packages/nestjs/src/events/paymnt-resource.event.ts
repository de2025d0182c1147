import type { OtherWebhookEvent } from '@paymnt/client';
import { PAYMNT_DEFAULT_INSTANCE } from '../paymnt.tokens';
import type { OtherEventType } from './paymnt-events';

/**
 * A payout or invoice event. The client does not model these objects yet, so
 * `object` is the webhook's `content.object` as sent. Only webhooks produce them.
 */
export class PaymntResourceEvent<T extends OtherEventType = OtherEventType> {
  /** Always `'webhook'`: no service call produces these events. */
  readonly source = 'webhook' as const;

  constructor(
    /** The webhook's `event_id`. */
    readonly eventId: string,
    /** The API's event type, e.g. `payout_success`. */
    readonly type: T,
    /** The webhook's `content.object`. */
    readonly object: Record<string, unknown>,
    /** The webhook's `timestamp`. */
    readonly timestamp: string,
    /** The verified webhook body. */
    readonly raw: OtherWebhookEvent,
    /**
     * The module instance that published it: its `name` (see `PaymntModule.forRoot({ name })`),
     * `'default'` for the unnamed one. Lets one handler tell the accounts of an app apart.
     */
    readonly instance: string = PAYMNT_DEFAULT_INSTANCE,
  ) {}
}
