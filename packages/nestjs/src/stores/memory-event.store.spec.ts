import { claimStatus, recordedVersion } from '../../test/support/event-store';
import { MemoryEventStore } from './memory-event.store';

describe('MemoryEventStore', () => {
  afterEach(() => jest.useRealTimers());

  it('claims a key once, reports in_progress while leased, done once completed', async () => {
    const store = new MemoryEventStore();
    expect(await claimStatus(store, 'pay_1:payment_succeeded', 1000)).toBe('claimed');
    expect(await claimStatus(store, 'pay_1:payment_succeeded', 1000)).toBe('in_progress');
    await store.complete('pay_1:payment_succeeded', 60_000);
    expect(await claimStatus(store, 'pay_1:payment_succeeded', 1000)).toBe('done');
    expect(await claimStatus(store, 'pay_1:payment_failed', 1000)).toBe('claimed');
  });

  it('lets a released key be claimed again, but never releases a completed one', async () => {
    const store = new MemoryEventStore();
    await claimStatus(store, 'a', 1000);
    await store.release('a');
    expect(await claimStatus(store, 'a', 1000)).toBe('claimed');
    await store.complete('a', 60_000);
    await store.release('a');
    expect(await claimStatus(store, 'a', 1000)).toBe('done');
  });

  it('expires a lease (a crashed handler) and a completed key after their TTL', async () => {
    jest.useFakeTimers({ now: new Date('2030-01-01T00:00:00.000Z') });
    const store = new MemoryEventStore();
    await claimStatus(store, 'lease', 1000);
    jest.setSystemTime(Date.now() + 999);
    expect(await claimStatus(store, 'lease', 1000)).toBe('in_progress');
    jest.setSystemTime(Date.now() + 2);
    expect(await claimStatus(store, 'lease', 1000)).toBe('claimed');

    await store.complete('done', 5000);
    jest.setSystemTime(Date.now() + 5001);
    expect(await claimStatus(store, 'done', 1000)).toBe('claimed');
  });

  it('keeps the newest version of an object', async () => {
    const store = new MemoryEventStore();
    expect(await recordedVersion(store, 'payment:pay_1')).toBeUndefined();
    await store.complete('v1', 60_000, 'payment:pay_1', 200);
    await store.complete('v2', 60_000, 'payment:pay_1', 100);
    expect(await recordedVersion(store, 'payment:pay_1')).toBe(200);
    await store.complete('v3', 60_000, 'payment:pay_1', 300);
    expect(await recordedVersion(store, 'payment:pay_1')).toBe(300);
  });

  it('is bounded: the least recently written keys are evicted beyond maxEntries', async () => {
    const store = new MemoryEventStore({ maxEntries: 3 });
    for (const key of ['k1', 'k2', 'k3', 'k4', 'k5']) await store.complete(key, 60_000);
    expect(store.size).toBeLessThanOrEqual(3);
    expect(await claimStatus(store, 'k1', 1000)).toBe('claimed');
    expect(await claimStatus(store, 'k5', 1000)).toBe('done');
  });

  it('drops expired entries (at most once a second), without waiting for the size bound', async () => {
    jest.useFakeTimers({ now: new Date('2030-01-01T00:00:00.000Z') });
    const store = new MemoryEventStore({ maxEntries: 100 });
    await store.complete('old-1', 10);
    await store.complete('old-2', 10);
    await store.complete('old-3', 10, 'payment:old', 1);
    jest.setSystemTime(Date.now() + 1000);
    await store.complete('new', 10_000);
    expect(store.size).toBe(1);
  });

  it('evicts a tenth of the entries at once when full', async () => {
    const store = new MemoryEventStore({ maxEntries: 10 });
    for (let i = 0; i <= 10; i++) await store.complete(`k${i}`, 60_000);
    expect(store.size).toBe(9);
    expect(await claimStatus(store, 'k1', 1000)).toBe('claimed');
    expect(await claimStatus(store, 'k2', 1000)).toBe('done');
  });

  it('claim with an object key reads its version for a claim taken; complete with a version records it, never over a newer one', async () => {
    const store = new MemoryEventStore();
    expect(await store.claim('pay_1:payment_authorized', 1000, 'payment:pay_1')).toEqual({ status: 'claimed', version: undefined });
    expect(await store.claim('pay_1:payment_authorized', 1000, 'payment:pay_1')).toEqual({ status: 'in_progress', version: undefined });
    expect(await store.complete('pay_1:payment_authorized', 60_000, 'payment:pay_1', 200)).toBeUndefined();
    expect(await store.claim('pay_1:payment_authorized', 1000, 'payment:pay_1')).toEqual({ status: 'done', version: undefined });
    expect(await store.claim('pay_1:payment_succeeded', 1000, 'payment:pay_1')).toEqual({ status: 'claimed', version: 200 });
    // An older version never overwrites a newer one; without an object key, only the claim.
    await store.complete('pay_1:payment_succeeded', 60_000, 'payment:pay_1', 100);
    expect(await recordedVersion(store, 'payment:pay_1')).toBe(200);
    expect(await claimStatus(store, 'pay_1:payment_succeeded', 1000)).toBe('done');
    expect(await store.claim('evt_1', 1000)).toEqual({ status: 'claimed', version: undefined });
    await store.complete('evt_1', 60_000);
    expect(await claimStatus(store, 'evt_1', 1000)).toBe('done');
    // A released claim can be taken again.
    expect((await store.claim('pay_2:payment_failed', 1000, 'payment:pay_2')).status).toBe('claimed');
    await store.release('pay_2:payment_failed');
    expect((await store.claim('pay_2:payment_failed', 1000, 'payment:pay_2')).status).toBe('claimed');
  });

  it('rejects a bad maxEntries', () => {
    expect(() => new MemoryEventStore({ maxEntries: 0 })).toThrow(/maxEntries/);
  });
});
