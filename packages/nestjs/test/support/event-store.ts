import { randomUUID } from 'node:crypto';
import type { PaymntEventStore } from '../../src/stores/paymnt-event.store';

/**
 * The version `store` holds for `objectKey`, read as the publisher reads it: with the claim of a
 * key nothing else uses (left to expire).
 */
export async function recordedVersion(store: PaymntEventStore, objectKey: string): Promise<number | undefined> {
  const claim = await store.claim(`probe:${randomUUID()}`, 1000, objectKey);
  if (claim.status !== 'claimed') throw new Error(`probe claim was ${claim.status}`);
  return claim.version;
}

/** The status a claim of `key` gets (it takes the lease when free). */
export async function claimStatus(store: PaymntEventStore, key: string, leaseMs = 1000): Promise<string> {
  return (await store.claim(key, leaseMs)).status;
}
