/**
 * The commands the Redis classes send, as ioredis declares them (a `Redis` or `Cluster` client fits).
 * Declared here rather than imported so the module's types compile in apps that do not install
 * ioredis, an optional peer dependency.
 */
export interface PaymntRedisClient {
  /** Lua scripts are defined as custom commands: ioredis then handles EVALSHA and its EVAL fallback. */
  defineCommand(name: string, definition: { lua: string; numberOfKeys?: number }): void;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, px: 'PX', milliseconds: number): Promise<unknown>;
  zcard(key: string): Promise<number>;
}

/**
 * ioredis connection options (`host`, `port`, `password`, `tls`, … as ioredis' `RedisOptions`).
 * Kept open so the module's types need neither ioredis nor bullmq installed.
 */
export interface PaymntRedisConnectionOptions {
  host?: string;
  port?: number;
  username?: string;
  password?: string;
  db?: number;
  // Any other ioredis option: an open index signature accepts ioredis' own option types as they are.
  [option: string]: any;
}

/** BullMQ's `connection`: ioredis options, or an ioredis client created with `maxRetriesPerRequest: null`. */
export type PaymntRedisConnection = PaymntRedisConnectionOptions | PaymntRedisClient;
