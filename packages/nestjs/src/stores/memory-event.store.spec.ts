import { MemoryEventStore } from './memory-event.store';

describe('MemoryEventStore', () => {
  afterEach(() => jest.useRealTimers());

  it('claims a key once, reports in_progress while leased, done once completed', async () => {
    const store = new MemoryEventStore();
    expect(await store.claim('pay_1:payment_succeeded', 1000)).toBe('claimed');
    expect(await store.claim('pay_1:payment_succeeded', 1000)).toBe('in_progress');
    await store.complete('pay_1:payment_succeeded', 60_000);
    expect(await store.claim('pay_1:payment_succeeded', 1000)).toBe('done');
    expect(await store.claim('pay_1:payment_failed', 1000)).toBe('claimed');
  });

  it('lets a released key be claimed again, but never releases a completed one', async () => {
    const store = new MemoryEventStore();
    await store.claim('a', 1000);
    await store.release('a');
    expect(await store.claim('a', 1000)).toBe('claimed');
    await store.complete('a', 60_000);
    await store.release('a');
    expect(await store.claim('a', 1000)).toBe('done');
  });

  it('expires a lease (a crashed handler) and a completed key after their TTL', async () => {
    jest.useFakeTimers({ now: new Date('2030-01-01T00:00:00.000Z') });
    const store = new MemoryEventStore();
    await store.claim('lease', 1000);
    jest.setSystemTime(Date.now() + 999);
    expect(await store.claim('lease', 1000)).toBe('in_progress');
    jest.setSystemTime(Date.now() + 2);
    expect(await store.claim('lease', 1000)).toBe('claimed');

    await store.complete('done', 5000);
    jest.setSystemTime(Date.now() + 5001);
    expect(await store.claim('done', 1000)).toBe('claimed');
  });

  it('keeps the newest version of an object', async () => {
    const store = new MemoryEventStore();
    expect(await store.getVersion('payment:pay_1')).toBeUndefined();
    await store.setVersion('payment:pay_1', 200, 60_000);
    await store.setVersion('payment:pay_1', 100, 60_000);
    expect(await store.getVersion('payment:pay_1')).toBe(200);
    await store.setVersion('payment:pay_1', 300, 60_000);
    expect(await store.getVersion('payment:pay_1')).toBe(300);
  });

  it('is bounded: the least recently written keys are evicted beyond maxEntries', async () => {
    const store = new MemoryEventStore({ maxEntries: 3 });
    for (const key of ['k1', 'k2', 'k3', 'k4', 'k5']) await store.complete(key, 60_000);
    expect(store.size).toBeLessThanOrEqual(3);
    expect(await store.claim('k1', 1000)).toBe('claimed');
    expect(await store.claim('k5', 1000)).toBe('done');
  });

  it('drops expired entries (at most once a second), without waiting for the size bound', async () => {
    jest.useFakeTimers({ now: new Date('2030-01-01T00:00:00.000Z') });
    const store = new MemoryEventStore({ maxEntries: 100 });
    await store.complete('old-1', 10);
    await store.complete('old-2', 10);
    await store.setVersion('payment:old', 1, 10);
    jest.setSystemTime(Date.now() + 1000);
    await store.complete('new', 10_000);
    expect(store.size).toBe(1);
  });

  it('evicts a tenth of the entries at once when full', async () => {
    const store = new MemoryEventStore({ maxEntries: 10 });
    for (let i = 0; i <= 10; i++) await store.complete(`k${i}`, 60_000);
    expect(store.size).toBe(9);
    expect(await store.claim('k1', 1000)).toBe('claimed');
    expect(await store.claim('k2', 1000)).toBe('done');
  });

  it('claimWithVersion / completeWithVersion: the same as claim + getVersion and setVersion + complete, answered synchronously', async () => {
    const store = new MemoryEventStore();
    expect(store.claimWithVersion('pay_1:payment_authorized', 1000, 'payment:pay_1')).toEqual({ claim: 'claimed', version: undefined });
    expect(store.claimWithVersion('pay_1:payment_authorized', 1000, 'payment:pay_1')).toEqual({ claim: 'in_progress', version: undefined });
    expect(store.completeWithVersion('pay_1:payment_authorized', 60_000, 'payment:pay_1', 200)).toBeUndefined();
    expect(store.claimWithVersion('pay_1:payment_authorized', 1000, 'payment:pay_1')).toEqual({ claim: 'done', version: undefined });
    expect(store.claimWithVersion('pay_1:payment_succeeded', 1000, 'payment:pay_1')).toEqual({ claim: 'claimed', version: 200 });
    // An older version never overwrites a newer one; without an object key, only the claim.
    store.completeWithVersion('pay_1:payment_succeeded', 60_000, 'payment:pay_1', 100);
    expect(await store.getVersion('payment:pay_1')).toBe(200);
    expect(await store.claim('pay_1:payment_succeeded', 1000)).toBe('done');
    expect(store.claimWithVersion('evt_1', 1000)).toEqual({ claim: 'claimed', version: undefined });
    store.completeWithVersion('evt_1', 60_000);
    expect(await store.claim('evt_1', 1000)).toBe('done');
    // A released claim can be taken again.
    expect(store.claimWithVersion('pay_2:payment_failed', 1000, 'payment:pay_2').claim).toBe('claimed');
    await store.release('pay_2:payment_failed');
    expect(store.claimWithVersion('pay_2:payment_failed', 1000, 'payment:pay_2').claim).toBe('claimed');
  });

  it('rejects a bad maxEntries', () => {
    expect(() => new MemoryEventStore({ maxEntries: 0 })).toThrow(/maxEntries/);
  });
});
