import Redis from 'ioredis';
import { PaymntConfigurationError } from '../errors/paymnt-configuration.error';
import { PaymntRedisTimeoutError } from '../errors/paymnt-redis-timeout.error';
import { claimStatus, recordedVersion } from '../../test/support/event-store';
import { RedisServer } from '../../test/support/redis-server';
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
    const results = await Promise.all([claimStatus(a, 'pay_1:payment_succeeded', 10_000), claimStatus(b, 'pay_1:payment_succeeded', 10_000)]);
    expect(results.sort()).toEqual(['claimed', 'in_progress']);
  });

  it('reports done after complete, and lets a released key be claimed again', async () => {
    const a = new RedisEventStore(redis, { keyPrefix: prefix });
    const b = new RedisEventStore(other, { keyPrefix: prefix });
    expect(await claimStatus(a, 'k', 10_000)).toBe('claimed');
    await a.release('k');
    expect(await claimStatus(b, 'k', 10_000)).toBe('claimed');
    await b.complete('k', 60_000);
    expect(await claimStatus(a, 'k', 10_000)).toBe('done');
    expect(await redis.pttl(`${prefix}claim:k`)).toBeGreaterThan(0);
  });

  it("does not drop another instance's lease when releasing late", async () => {
    const a = new RedisEventStore(redis, { keyPrefix: prefix });
    const b = new RedisEventStore(other, { keyPrefix: prefix });
    expect(await claimStatus(a, 'k', 10_000)).toBe('claimed');
    // A's lease expires (a crash, or a handler slower than leaseMs) and B takes over.
    await redis.del(`${prefix}claim:k`);
    expect(await claimStatus(b, 'k', 10_000)).toBe('claimed');
    await a.release('k');
    expect(await claimStatus(a, 'k', 10_000)).toBe('in_progress');
  });

  it('expires a lease so a redelivery can run the handlers after a crash', async () => {
    const a = new RedisEventStore(redis, { keyPrefix: prefix });
    expect(await claimStatus(a, 'k', 10_000)).toBe('claimed');
    const ttl = await redis.pttl(`${prefix}claim:k`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(10_000);
  });

  it('keeps the newest version atomically', async () => {
    const a = new RedisEventStore(redis, { keyPrefix: prefix });
    expect(await recordedVersion(a, 'payment:pay_1')).toBeUndefined();
    await a.complete('v1', 60_000, 'payment:pay_1', 2000);
    await a.complete('v2', 60_000, 'payment:pay_1', 1000);
    expect(await recordedVersion(a, 'payment:pay_1')).toBe(2000);
    await a.complete('v3', 60_000, 'payment:pay_1', 3000);
    expect(await recordedVersion(a, 'payment:pay_1')).toBe(3000);
  });

  it('claim with an object key: one atomic claim that also reads the version, for a claim that was taken', async () => {
    const a = new RedisEventStore(redis, { keyPrefix: prefix });
    const b = new RedisEventStore(other, { keyPrefix: prefix });
    await a.complete('v1', 60_000, 'payment:pay_1', 2000);
    const results = await Promise.all([
      a.claim('pay_1:payment_succeeded', 10_000, 'payment:pay_1'),
      b.claim('pay_1:payment_succeeded', 10_000, 'payment:pay_1'),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['claimed', 'in_progress']);
    expect(results.find((r) => r.status === 'claimed')?.version).toBe(2000);
    expect(results.find((r) => r.status === 'in_progress')?.version).toBeUndefined();
    expect(await a.claim('pay_2:payment_succeeded', 10_000, 'payment:pay_2')).toEqual({ status: 'claimed', version: undefined });
    expect(await a.claim('evt_1', 10_000)).toEqual({ status: 'claimed', version: undefined });
    const pttl = await redis.pttl(`${prefix}claim:pay_2:payment_succeeded`);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(10_000);
  });

  it('complete with a version: records the newest version and completes in one step; the lease of a claim with an object key can be released', async () => {
    const a = new RedisEventStore(redis, { keyPrefix: prefix });
    expect((await a.claim('k', 10_000, 'payment:pay_1')).status).toBe('claimed');
    await a.complete('k', 60_000, 'payment:pay_1', 3000);
    expect(await claimStatus(a, 'k', 10_000)).toBe('done');
    expect(await recordedVersion(a, 'payment:pay_1')).toBe(3000);
    expect(await redis.pttl(`${prefix}version:payment:pay_1`)).toBeGreaterThan(10_000);
    await a.complete('k2', 60_000, 'payment:pay_1', 1000);
    expect(await recordedVersion(a, 'payment:pay_1')).toBe(3000);
    await a.complete('k3', 60_000);
    expect(await claimStatus(a, 'k3', 10_000)).toBe('done');

    expect((await a.claim('k4', 10_000, 'payment:pay_1')).status).toBe('claimed');
    await a.release('k4');
    expect((await a.claim('k4', 10_000, 'payment:pay_1')).status).toBe('claimed');
  });

  it('on a Redis Cluster (keys on different nodes), claims and completes with one key per command', async () => {
    const commands: string[] = [];
    // What the store sees of an ioredis Cluster: isCluster, scripts defined as commands, and commands routed by key.
    const cluster: Record<string, unknown> = {
      isCluster: true,
      defineCommand: (name: string, definition: { lua: string; numberOfKeys: number }) => {
        redis.defineCommand(name, definition);
        const command = (redis as unknown as Record<string, (...args: Array<string | number>) => Promise<unknown>>)[name];
        cluster[name] = (...args: Array<string | number>) => {
          commands.push(`script:${definition.numberOfKeys}`);
          return command.apply(redis, args);
        };
      },
      get: (key: string) => {
        commands.push('get');
        return redis.get(key);
      },
      set: (...args: Parameters<Redis['set']>) => {
        commands.push('set');
        return redis.set(...args);
      },
    };
    const store = new RedisEventStore(cluster as unknown as Redis, { keyPrefix: prefix });
    await store.complete('k0', 60_000, 'payment:pay_1', 2000);
    expect(await store.claim('k', 10_000, 'payment:pay_1')).toEqual({ status: 'claimed', version: 2000 });
    await store.complete('k', 60_000, 'payment:pay_1', 3000);
    expect(await store.claim('k', 10_000, 'payment:pay_1')).toEqual({ status: 'done', version: undefined });
    expect(await recordedVersion(store, 'payment:pay_1')).toBe(3000);
    expect(commands.filter((c) => c.startsWith('script')).every((c) => c.endsWith(':1'))).toBe(true);
  });

  it('sends its scripts again when Redis forgot them (SCRIPT FLUSH, a restart)', async () => {
    // A Redis of its own: flushing the shared one's scripts would disturb other test runs.
    const server = await RedisServer.start({ aof: false });
    const own = new Redis(server.connection);
    try {
      const a = new RedisEventStore(own, { keyPrefix: prefix });
      expect(await claimStatus(a, 'k', 10_000)).toBe('claimed');
      await own.script('FLUSH');
      await a.release('k');
      expect(await a.claim('k', 10_000, 'payment:pay_1')).toEqual({ status: 'claimed', version: undefined });
      await own.script('FLUSH');
      await a.complete('k', 60_000, 'payment:pay_1', 1000);
      expect(await recordedVersion(a, 'payment:pay_1')).toBe(1000);
    } finally {
      await own.quit();
      await server.stop();
    }
  });

  it('on auto-pipelining clients (commands of one event-loop turn sent together): one claim per key, versions kept, scripts sent again after a flush', async () => {
    const server = await RedisServer.start({ aof: false });
    const one = new Redis({ ...server.connection, enableAutoPipelining: true });
    const two = new Redis({ ...server.connection, enableAutoPipelining: true });
    try {
      const a = new RedisEventStore(one, { keyPrefix: prefix });
      const b = new RedisEventStore(two, { keyPrefix: prefix });
      const keys = Array.from({ length: 50 }, (_, i) => `pay_${i}:payment_succeeded`);
      const claims = await Promise.all(keys.flatMap((key, i) => [a.claim(key, 10_000, `payment:pay_${i}`), b.claim(key, 10_000, `payment:pay_${i}`)]));
      for (let i = 0; i < keys.length; i++) expect([claims[2 * i].status, claims[2 * i + 1].status].sort()).toEqual(['claimed', 'in_progress']);
      const owners = keys.map((_, i) => (claims[2 * i].status === 'claimed' ? a : b));
      await one.script('FLUSH');
      await Promise.all(keys.map((key, i) => owners[i].complete(key, 60_000, `payment:pay_${i}`, 1000 + i)));
      expect((await Promise.all(keys.map((key) => claimStatus(a, key, 10_000)))).every((status) => status === 'done')).toBe(true);
      expect(await recordedVersion(b, 'payment:pay_7')).toBe(1007);
    } finally {
      await one.quit();
      await two.quit();
      await server.stop();
    }
  });

  it('refuses something that is not an ioredis client', () => {
    expect(() => new RedisEventStore({} as Redis)).toThrow(/ioredis/);
  });

  it('rejects with PaymntRedisTimeoutError after commandTimeoutMs while Redis does not answer, and drops a lease a late claim took', async () => {
    const busy = new Redis({ host: REDIS_HOST, port: REDIS_PORT });
    try {
      const store = new RedisEventStore(busy, { keyPrefix: prefix, commandTimeoutMs: 100 });
      // Holds this connection for a second: the store's commands wait behind it, as behind a frozen Redis.
      const blocking = busy.blpop(`${prefix}nothing`, 1);
      const operations: Array<[string, () => Promise<unknown>]> = [
        ['claim', () => store.claim('a', 60_000)],
        ['claim', () => store.claim('b', 60_000, 'payment:pay_1')],
        ['complete', () => store.complete('c', 60_000, 'payment:pay_1', 1000)],
        ['complete', () => store.complete('d', 60_000)],
      ];
      const errors = await Promise.all(operations.map(([, operation]) => operation().then(() => undefined, (error: unknown) => error)));
      errors.forEach((error, i) => {
        expect(error).toBeInstanceOf(PaymntRedisTimeoutError);
        expect(error).toMatchObject({ operation: operations[i][0], timeoutMs: 100 });
      });
      await blocking;
      // The commands ran once Redis answered again; the two claims nobody runs under were released at once (not kept for 60 s).
      const deadline = Date.now() + 2000;
      while ((await redis.exists(`${prefix}claim:a`, `${prefix}claim:b`)) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(await redis.exists(`${prefix}claim:a`, `${prefix}claim:b`)).toBe(0);
      expect(await redis.mget(`${prefix}claim:c`, `${prefix}claim:d`)).toEqual(['done', 'done']);
    } finally {
      await busy.quit();
    }
  });

  it.each([0, 1.5, -1, '2000'])('refuses commandTimeoutMs %p, naming it', (commandTimeoutMs) => {
    const error = (() => {
      try {
        new RedisEventStore(redis, { commandTimeoutMs: commandTimeoutMs as number });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(PaymntConfigurationError);
    expect((error as Error).message).toContain('"commandTimeoutMs"');
  });
});
