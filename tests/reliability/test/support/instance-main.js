// One app instance for the many-instances suite, run as a CHILD PROCESS (so it can be killed with
// SIGKILL). Plain JavaScript on the BUILT packages: require('@paymnt/nestjs') is packages/nestjs/dist.
// It boots a Nest app on 127.0.0.1:0 with the built-in webhook route and a RedisEventStore, and
// talks to the parent over IPC only (stdout and stderr are kept free of protocol, so the parent can
// search them for secrets):
//   child -> parent: { type: 'ready', name, port } | { type: 'ack', cmd, key } |
//                    { type: 'handler', phase: 'start'|'done'|'failed', name, key, eventId }
//   parent -> child: { cmd: 'fail-once', key } | { cmd: 'block', key } | { cmd: 'shutdown' }
'use strict';
require('reflect-metadata');
const { Injectable, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { EventEmitterModule } = require('@nestjs/event-emitter');
const { OnPaymntEvent, PaymntModule, RedisEventStore } = require('@paymnt/nestjs');
const Redis = require('ioredis');

const env = process.env;
const name = env.INSTANCE_NAME;
const prefix = env.REDIS_PREFIX;
const failOnce = new Set();
const blocked = new Set();

function report(message) {
  if (process.send && process.connected) process.send({ ...message, name });
}

function keyOf(event) {
  const id = event.payment ? event.payment.payment_id : event.refund ? event.refund.refund_id : event.eventId;
  return `${id}:${event.type}`;
}

const redis = new Redis({ host: env.REDIS_HOST, port: Number(env.REDIS_PORT), lazyConnect: false });

class Handlers {
  async onAny(event) {
    const key = keyOf(event);
    report({ type: 'handler', phase: 'start', key, eventId: event.eventId });
    if (blocked.has(key)) {
      // Blocks until the parent kills this process: a crash in the middle of a handler.
      await new Promise(() => undefined);
    }
    if (failOnce.delete(key)) {
      report({ type: 'handler', phase: 'failed', key, eventId: event.eventId });
      throw new Error(`instance ${name}: planned crash of the handler of ${key}`);
    }
    // The handler's effect, in the shared store every instance writes to.
    await redis.incr(`${prefix}ledger:${key}`);
    await redis.rpush(`${prefix}ledger-log`, `${name} ${key}`);
    report({ type: 'handler', phase: 'done', key, eventId: event.eventId });
  }
}
Reflect.decorate([OnPaymntEvent('paymnt.*')], Handlers.prototype, 'onAny', Object.getOwnPropertyDescriptor(Handlers.prototype, 'onAny'));
Injectable()(Handlers);

class InstanceModule {}
Module({
  imports: [
    EventEmitterModule.forRoot({ wildcard: true }),
    PaymntModule.forRoot({
      apiKey: env.PAYMNT_API_KEY,
      baseUrl: env.PAYMNT_BASE_URL,
      maxRetries: 0,
      webhook: {
        secret: env.PAYMNT_WEBHOOK_SECRET,
        path: 'webhooks/paymnt',
        store: new RedisEventStore(redis, { keyPrefix: prefix }),
        leaseMs: Number(env.LEASE_MS),
      },
    }),
  ],
  providers: [Handlers],
})(InstanceModule);

async function main() {
  const app = await NestFactory.create(InstanceModule, { rawBody: true, logger: ['error', 'warn', 'log'] });
  await app.listen(0, '127.0.0.1');
  const port = Number(new URL(await app.getUrl()).port);
  process.on('message', (message) => {
    if (message.cmd === 'fail-once') failOnce.add(message.key);
    else if (message.cmd === 'block') blocked.add(message.key);
    if (message.cmd === 'fail-once' || message.cmd === 'block') report({ type: 'ack', cmd: message.cmd, key: message.key });
    else if (message.cmd === 'shutdown') {
      app
        .close()
        .then(() => redis.quit())
        .finally(() => process.disconnect());
    }
  });
  report({ type: 'ready', port });
}

main().catch((error) => {
  process.stderr.write(`instance ${name} failed to start: ${error && error.message}\n`);
  process.exit(1);
});
