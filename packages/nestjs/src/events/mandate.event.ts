import type { Mandate, MandateEventType, MandateWebhookEvent } from '@paymnt/client';
import { PAYMNT_DEFAULT_INSTANCE } from '../paymnt.tokens';

/**
 * A mandate became active or was revoked. Emitted as `'paymnt.' + type` once per (mandate, event
 * type), in the order the API produced them (a late `mandate_active` after `mandate_revoked` is
 * stale). Only webhooks produce these events: a revoke answers with the new status alone.
 */
export class MandateEvent<T extends MandateEventType = MandateEventType> {
  /** Always `'webhook'`. */
  readonly source = 'webhook' as const;

  constructor(
    /** The webhook's `event_id`. */
    readonly eventId: string,
    /** The API's event type: `mandate_active` or `mandate_revoked`. */
    readonly type: T,
    /** The mandate as the webhook had it. */
    readonly mandate: Mandate,
    /** The webhook's `timestamp`. */
    readonly timestamp: string,
    /** The verified webhook body. */
    readonly raw: MandateWebhookEvent<T>,
    /**
     * The module instance that published it: its `name` (see `PaymntModule.forRoot({ name })`),
     * `'default'` for the unnamed one.
     */
    readonly instance: string = PAYMNT_DEFAULT_INSTANCE,
  ) {}
}

export type MandateActiveEvent = MandateEvent<'mandate_active'>;
export type MandateRevokedEvent = MandateEvent<'mandate_revoked'>;
