/**
 * What publishing did:
 * - `dispatched`: the handlers ran and succeeded;
 * - `duplicate`: this transition was already published (redelivery, or learned the other way);
 * - `stale`: older than what was already applied to the object: recorded, not dispatched;
 * - `in_progress`: another delivery is running the handlers right now;
 * - `ignored`: no domain event for it (a status without an event, an unknown event type, or
 *   `publishServiceEvents: false`);
 * - `failed`: only for service results: a handler or the store failed (logged, not thrown);
 * - `queued`: only in durable intake mode (`webhook.intake`): enqueued, published by a worker.
 */
export type PaymntPublishOutcome = 'dispatched' | 'duplicate' | 'stale' | 'in_progress' | 'ignored' | 'failed' | 'queued';
