import type { PaymntRedisClient } from './paymnt-redis.types';

/** A Lua script defined on a client: called with its keys, then its arguments. */
export type PaymntRedisScript = (...keysAndArgs: Array<string | number>) => Promise<unknown>;

/**
 * Defines `lua` as the client's custom command `name` with ioredis' `defineCommand()`, which sends
 * EVALSHA and falls back to EVAL when Redis does not know the script (after a restart, say), on a
 * `Redis` or a `Cluster` alike.
 */
export function defineRedisScript(redis: PaymntRedisClient, name: string, numberOfKeys: number, lua: string): PaymntRedisScript {
  redis.defineCommand(name, { numberOfKeys, lua });
  const command = (redis as unknown as Record<string, PaymntRedisScript>)[name];
  return (...keysAndArgs) => command.apply(redis, keysAndArgs);
}
