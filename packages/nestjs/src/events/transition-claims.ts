import type { Logger } from '@nestjs/common';
import type { PaymntEventStore } from '../stores/paymnt-event.store';
import type { PaymntPublishOutcome } from './paymnt-publish-outcome';
import type { PaymntTransition } from './paymnt-transition';
import { UnrecordedCompletions } from './unrecorded-completions';

/** What `TransitionClaims.run()` did (see `PaymntPublishOutcome`). */
export type TransitionOutcome = Extract<PaymntPublishOutcome, 'dispatched' | 'duplicate' | 'stale' | 'in_progress'>;

/**
 * The core of "exactly once": runs a transition's handlers under the event store's claim, at most
 * once across instances and never over a newer state of the same object. One `claim()` (a lease,
 * and the object's applied version), then `complete()` (with the new version) when the handlers
 * succeeded or the transition is stale, or `release()` when they failed.
 *
 * A store failure before the handlers ran is thrown (a webhook is answered 503 and delivered
 * again). Once they succeeded, it is not: the claim is kept rather than released (so a redelivery
 * does not run the handlers again), this process answers its deliveries `duplicate`, and the
 * completion is recorded in the background until the store takes it.
 */
export class TransitionClaims {
  /** Transitions whose handlers succeeded while the store could not record it. */
  private readonly unrecorded: UnrecordedCompletions;

  constructor(
    private readonly store: PaymntEventStore,
    private readonly leaseMs: number,
    private readonly ttlMs: number,
    logger: Logger,
    /** Prepended to every key and object key (`eu/`): a named instance's records are its own in a shared store. */
    private readonly namespace = '',
  ) {
    this.unrecorded = new UnrecordedCompletions((key, ttl, objectKey, version) => store.complete(key, ttl, objectKey, version), logger);
  }

  /** Runs `handle` when `transition` is claimed here and not stale. A failure of `handle` releases the claim, then is thrown. */
  async run(transition: PaymntTransition, handle: () => Promise<void>): Promise<TransitionOutcome> {
    const key = this.namespace + transition.key;
    // Handled here already, the store just does not know it yet.
    if (this.unrecorded.has(key)) return 'duplicate';
    // Ordered only when both are known: an object without a version is not compared.
    const version = transition.objectKey === undefined ? undefined : transition.version;
    const objectKey = version === undefined ? undefined : this.namespace + transition.objectKey;
    const claim = await this.store.claim(key, this.leaseMs, objectKey);
    if (claim.status === 'done') return 'duplicate';
    if (claim.status === 'in_progress') return 'in_progress';
    try {
      if (objectKey !== undefined && version !== undefined) {
        // A newer transition of this object handled here may not be in the store yet.
        const applied = this.unrecorded.newestVersion(objectKey, claim.version);
        if (applied !== undefined && version < applied) {
          await this.store.complete(key, this.ttlMs);
          return 'stale';
        }
      }
      await handle();
    } catch (error) {
      // Without the claim, the next delivery runs the handlers again. If the release itself fails
      // (store down), the lease still expires after leaseMs.
      await this.store.release(key).catch(() => undefined);
      throw error;
    }
    // The handlers succeeded: a store failure from here on must not release the claim (the
    // redelivery would run them again). The completion is kept and recorded in the background.
    try {
      await this.store.complete(key, this.ttlMs, objectKey, version);
    } catch (error) {
      this.unrecorded.add(key, this.ttlMs, objectKey, version, error);
    }
    return 'dispatched';
  }

  /** Makes a last attempt to record the completions the store missed, and logs those it still could not. */
  close(): Promise<void> {
    return this.unrecorded.close();
  }
}
