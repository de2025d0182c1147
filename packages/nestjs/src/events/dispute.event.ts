import type { Dispute, DisputeEventType, DisputeWebhookEvent } from '@paymnt/client';
import { PAYMNT_DEFAULT_INSTANCE } from '../paymnt.tokens';
import type { PaymntEventSource } from './paymnt-event.types';

/**
 * A dispute changed status (opened, challenged, won, lost, expired, accepted, cancelled). Emitted
 * as `'paymnt.' + type`, once per (dispute, event type) whether it was learned from a webhook or
 * from an API response (`DisputesService.accept` / `submitEvidence`).
 */
export class DisputeEvent<T extends DisputeEventType = DisputeEventType> {
  constructor(
    /** The webhook's `event_id`, or `api_<uuid>` when learned from an API response. */
    readonly eventId: string,
    /** The API's event type, e.g. `dispute_opened` (the dispute's `dispute_status`). */
    readonly type: T,
    /** The dispute as the webhook or the API response had it. */
    readonly dispute: Dispute,
    /** The webhook's `timestamp`, or the dispute's `connector_updated_at` for an API response. */
    readonly timestamp: string,
    /** Where the module learned it. */
    readonly source: PaymntEventSource,
    /** The verified webhook body, for `source: 'webhook'`. */
    readonly raw?: DisputeWebhookEvent<T>,
    /**
     * The module instance that published it: its `name` (see `PaymntModule.forRoot({ name })`),
     * `'default'` for the unnamed one.
     */
    readonly instance: string = PAYMNT_DEFAULT_INSTANCE,
  ) {}
}

export type DisputeOpenedEvent = DisputeEvent<'dispute_opened'>;
export type DisputeChallengedEvent = DisputeEvent<'dispute_challenged'>;
export type DisputeWonEvent = DisputeEvent<'dispute_won'>;
export type DisputeLostEvent = DisputeEvent<'dispute_lost'>;
export type DisputeExpiredEvent = DisputeEvent<'dispute_expired'>;
export type DisputeAcceptedEvent = DisputeEvent<'dispute_accepted'>;
export type DisputeCancelledEvent = DisputeEvent<'dispute_cancelled'>;
