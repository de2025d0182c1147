import Redis from 'ioredis';
import { describeWithRedis, REDIS_HOST, REDIS_PORT, uniquePrefix } from '../../test/support/redis';
import { RedisEventStore } from './redis-event.store';

describeWithRedis('RedisEventStore (real Redis)', () => {
  let redis: Redis;
  let other: Redis;
  let prefix: string;

  beforeAll(() => {
    redis = new Redis({ host: REDIS_HOST, port: REDIS_PORT, lazyConnect: false });
    other = new Redis({ host: REDIS_HOST, port: REDIS_PORT, lazyConnect: false });
  });

  beforeEach(() => {
    prefix = uniquePrefix('store');
  });

  afterEach(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  });

  afterAll(async () => {
    await redis.quit();
    await other.quit();
  });

  it('gives one claim to concurrent callers on two connections (two app instances)', async () => {
    const a = new RedisEventStore(redis, { keyPrefix: prefix });
    const b = new RedisEventStore(other, { keyPrefix: prefix });
    const results = await Promise.all([a.claim('pay_1:payment_succeeded', 10_000), b.claim('pay_1:payment_succeeded', 10_000)]);
    expect(results.sort()).toEqual(['claimed', 'in_progress']);
  });

  it('reports done after complete, and lets a released key be claimed again', async () => {
    const a = new RedisEventStore(redis, { keyPrefix: prefix });
    const b = new RedisEventStore(other, { keyPrefix: prefix });
    expect(await a.claim('k', 10_000)).toBe('claimed');
    await a.release('k');
    expect(await b.claim('k', 10_000)).toBe('claimed');
    await b.complete('k', 60_000);
    expect(await a.claim('k', 10_000)).toBe('done');
    expect(await redis.pttl(`${prefix}claim:k`)).toBeGreaterThan(0);
  });

  it("does not drop another instance's lease when releasing late", async () => {
    const a = new RedisEventStore(redis, { keyPrefix: prefix });
    const b = new RedisEventStore(other, { keyPrefix: prefix });
    expect(await a.claim('k', 10_000)).toBe('claimed');
    // A's lease expires (a crash, or a handler slower than leaseMs) and B takes over.
    await redis.del(`${prefix}claim:k`);
    expect(await b.claim('k', 10_000)).toBe('claimed');
    await a.release('k');
    expect(await a.claim('k', 10_000)).toBe('in_progress');
  });

  it('expires a lease so a redelivery can run the handlers after a crash', async () => {
    const a = new RedisEventStore(redis, { keyPrefix: prefix });
    expect(await a.claim('k', 10_000)).toBe('claimed');
    const ttl = await redis.pttl(`${prefix}claim:k`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(10_000);
  });

  it('keeps the newest version atomically', async () => {
    const a = new RedisEventStore(redis, { keyPrefix: prefix });
    expect(await a.getVersion('payment:pay_1')).toBeUndefined();
    await a.setVersion('payment:pay_1', 2000, 60_000);
    await a.setVersion('payment:pay_1', 1000, 60_000);
    expect(await a.getVersion('payment:pay_1')).toBe(2000);
    await a.setVersion('payment:pay_1', 3000, 60_000);
    expect(await a.getVersion('payment:pay_1')).toBe(3000);
  });

  it('refuses something that is not an ioredis client', () => {
    expect(() => new RedisEventStore({} as Redis)).toThrow(/ioredis/);
  });
});
