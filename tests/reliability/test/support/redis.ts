import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';

export const REDIS_HOST = '127.0.0.1';
export const REDIS_PORT = 6379;

/** Whether Redis answers PING, checked synchronously so `describe` can be chosen at load time. */
function redisReachable(): boolean {
  const script = `
    const socket = require('node:net').connect(${REDIS_PORT}, '${REDIS_HOST}');
    socket.setTimeout(1000, () => process.exit(1));
    socket.on('error', () => process.exit(1));
    socket.on('connect', () => socket.write('PING\\r\\n'));
    socket.on('data', (d) => process.exit(String(d).startsWith('+PONG') ? 0 : 1));`;
  return spawnSync(process.execPath, ['-e', script], { timeout: 3000 }).status === 0;
}

/** Redis suites run when Redis is up, and always under CI=true (where a missing Redis must fail them). */
export const describeWithRedis: jest.Describe = process.env.CI === 'true' || redisReachable() ? describe : describe.skip;

/** A key prefix no other run shares. */
export function uniquePrefix(label: string): string {
  return `paymnt-reliability:${label}:${randomUUID()}:`;
}
