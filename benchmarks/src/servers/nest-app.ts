import 'reflect-metadata';
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  BadRequestException,
  Body,
  Controller,
  type DynamicModule,
  HttpCode,
  Injectable,
  Module,
  Post,
  Req,
  type Type,
  UnauthorizedException,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitter2, EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { StripeModule, StripeWebhookHandler } from '@golevelup/nestjs-stripe';
import { Redis } from 'ioredis';
import Stripe from 'stripe';
import type { AddressInfo } from 'node:net';
import { UnavailableError } from '../lib/child';
import { loadPackage } from '../lib/packages';
import type { ServerRole } from './role';

export type NestAdapterName = 'express' | 'fastify';
/**
 * `module`: PaymntModule's built-in webhook route; `bare`: a route that only parses JSON; `bare-raw`:
 * the same with `rawBody: true`; `bare-verify`: `rawBody: true` and a raw HMAC-SHA512 check of the
 * signature header (the least any verifying route does), nothing else. `module-telemetry-off`: the
 * module with `telemetry: { enabled: false }`, against which `module` (the telemetry code path with
 * `@opentelemetry/api` installed and no SDK registered, as here) is compared. `module-redis`: the
 * module with a `RedisEventStore`; `module-intake`: the module with durable intake (BullMQ, no
 * worker in the app: the route's enqueue rate). `golevelup`: `@golevelup/nestjs-stripe`'s webhook
 * route (Stripe-signed bodies) whose handler de-duplicates in a `MemoryEventStore` and emits on
 * EventEmitter2 as the module does.
 */
export type NestVariant = 'module' | 'module-telemetry-off' | 'module-redis' | 'module-intake' | 'bare' | 'bare-raw' | 'bare-verify' | 'golevelup';

/** Route of each variant (the golevelup module's is fixed: `<controllerPrefix>/webhook`). */
export function routeOf(variant: NestVariant, path: string): string {
  return variant === 'golevelup' ? 'stripe/webhook' : path;
}

/** Redis of the Redis variants (127.0.0.1:6379 unless BENCH_REDIS_URL says otherwise). */
export function redisUrl(): string {
  return process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

export interface NestAppConfig {
  adapter: NestAdapterName;
  variant: NestVariant;
  path: string;
  /** For `module` and `bare-verify`. */
  secret?: string;
  /** Only for `module`: the bound of its MemoryEventStore (the module's default when absent). */
  storeMaxEntries?: number;
  /** Key prefix in Redis of `module-redis` (its store) and `module-intake` (BullMQ): removed at close. */
  redisPrefix?: string;
}

/** The part of @paymnt/nestjs the benchmark uses (loaded at run time, see lib/packages.ts). */
interface PaymntNestjs {
  PaymntModule: { forRoot(options: Record<string, unknown>): DynamicModule };
  OnPaymntEvent(event: string): MethodDecorator;
  PaymntEvents: Record<string, string>;
  MemoryEventStore: new (options?: { maxEntries?: number }) => DedupeStore;
  RedisEventStore: new (redis: Redis, options?: { keyPrefix?: string }) => object;
}

/** The part of `PaymntEventStore` the golevelup handler uses. */
interface DedupeStore {
  claim(key: string, leaseMs: number, objectKey?: string): Promise<{ status: string; version: number | undefined }>;
  complete(key: string, ttlMs: number, objectKey?: string, version?: number): Promise<void>;
  release(key: string): Promise<void>;
}

/** Counts what the handler saw, to check that every accepted webhook was dispatched exactly once. */
interface Counter {
  handled: number;
}

function moduleApp(config: NestAppConfig, redis: Redis | undefined): { module: Type<unknown>; handlersClass: Type<Counter> } {
  const nest = loadPackage<PaymntNestjs>('@paymnt/nestjs', ['PaymntModule', 'OnPaymntEvent', 'PaymntEvents', 'MemoryEventStore', 'RedisEventStore']);
  const store =
    config.variant === 'module-redis'
      ? new nest.RedisEventStore(redis!, { keyPrefix: `${config.redisPrefix}:` })
      : config.storeMaxEntries === undefined
        ? undefined
        : new nest.MemoryEventStore({ maxEntries: config.storeMaxEntries });
  const intake =
    config.variant === 'module-intake'
      ? { intake: { connection: redisOptions(), prefix: config.redisPrefix, queueName: 'bench-webhooks', worker: false } }
      : {};
  @Injectable()
  class PaymentHandlers implements Counter {
    handled = 0;

    @nest.OnPaymntEvent(nest.PaymntEvents.PAYMENT_SUCCEEDED)
    onSucceeded(): void {
      this.handled++;
    }
  }
  @Module({
    imports: [
      // As the module's documentation sets it up.
      EventEmitterModule.forRoot({ wildcard: true }),
      // The client is never called here: its base URL is a closed port.
      nest.PaymntModule.forRoot({
        apiKey: 'snd_benchmark_only_key',
        baseUrl: 'http://127.0.0.1:9',
        maxRetries: 0,
        webhook: { secret: config.secret, path: config.path, ...(store === undefined ? {} : { store }), ...intake },
        telemetry: { enabled: config.variant !== 'module-telemetry-off' },
      }),
    ],
    providers: [PaymentHandlers],
  })
  class WebhookBenchModule {}
  return { module: WebhookBenchModule, handlersClass: PaymentHandlers };
}

function redisOptions(): { host: string; port: number; db: number } {
  const url = new URL(redisUrl());
  return { host: url.hostname, port: Number(url.port || 6379), db: Number(url.pathname.slice(1) || 0) };
}

/**
 * `@golevelup/nestjs-stripe`'s route, its handler doing what the module does for a new event: a
 * claim in a `MemoryEventStore` (key per object and event type, the object's version read), the
 * emit on EventEmitter2 awaited, then the completion with the object's version.
 */
function golevelupApp(config: NestAppConfig): { module: Type<unknown>; handlersClass: Type<Counter> } {
  // golevelup 1.1.1 (peer stripe ^20) constructs its client with `require('stripe').default`, which
  // stripe 23's CommonJS entry no longer has (package.json overrides the peer to the root's stripe 23).
  const stripeExports = Stripe as unknown as { default?: unknown };
  stripeExports.default ??= Stripe;
  const nest = loadPackage<PaymntNestjs>('@paymnt/nestjs', ['MemoryEventStore']);
  const store = new nest.MemoryEventStore({ maxEntries: config.storeMaxEntries ?? 10_000 });
  const leaseMs = 60_000;
  const ttlMs = 7 * 24 * 3600_000;
  @Injectable()
  class StripeHandlers implements Counter {
    handled = 0;

    constructor(private readonly emitter: EventEmitter2) {}

    @StripeWebhookHandler('payment_intent.succeeded')
    async onStripeEvent(event: Stripe.Event): Promise<void> {
      const intent = event.data.object as Stripe.PaymentIntent;
      const key = `${intent.id}:${event.type}`;
      const objectKey = `payment_intent:${intent.id}`;
      const claim = await store.claim(key, leaseMs, objectKey);
      if (claim.status !== 'claimed') return;
      const version = event.created * 1000;
      if (claim.version !== undefined && version < claim.version) return store.complete(key, ttlMs);
      try {
        await this.emitter.emitAsync(`stripe.${event.type}`, event);
      } catch (error) {
        await store.release(key);
        throw error;
      }
      await store.complete(key, ttlMs, objectKey, version);
    }

    @OnEvent('stripe.payment_intent.succeeded')
    onSucceeded(): void {
      this.handled++;
    }
  }
  @Module({
    imports: [
      EventEmitterModule.forRoot({ wildcard: true }),
      StripeModule.forRoot({
        apiKey: 'sk_test_benchmark_only',
        webhookConfig: { stripeSecrets: { accountTest: config.secret! }, requestBodyProperty: 'rawBody' },
      }),
    ],
    providers: [StripeHandlers],
  })
  class GolevelupBenchModule {}
  return { module: GolevelupBenchModule, handlersClass: StripeHandlers };
}

function bareApp(config: NestAppConfig): Type<unknown> {
  const secret = config.secret ?? '';
  const verify = config.variant === 'bare-verify';
  @Controller()
  class BareWebhookController {
    @Post(config.path)
    @HttpCode(200)
    receive(@Body() body: unknown, @Req() request: { rawBody?: Buffer; headers: Record<string, string | string[] | undefined> }): { received: true } {
      if (typeof body !== 'object' || body === null) throw new BadRequestException('no JSON body');
      if (verify) {
        const header = request.headers['x-webhook-signature-512'];
        const expected = createHmac('sha512', secret).update(request.rawBody ?? Buffer.alloc(0)).digest();
        const received = Buffer.from(typeof header === 'string' ? header : '', 'hex');
        if (received.length !== expected.length || !timingSafeEqual(expected, received)) throw new UnauthorizedException();
      }
      return { received: true };
    }
  }
  @Module({ controllers: [BareWebhookController] })
  class BareBenchModule {}
  return BareBenchModule;
}

/** A Nest app with one webhook route on Express or Fastify, on 127.0.0.1. */
export async function startNestApp(config: NestAppConfig): Promise<ServerRole> {
  let module: Type<unknown>;
  let handlersClass: Type<Counter> | undefined;
  const usesRedis = config.variant === 'module-redis' || config.variant === 'module-intake';
  // As the module's README advises under load: auto-pipelining sends one turn's commands in one write.
  const redis = usesRedis ? new Redis({ ...redisOptions(), lazyConnect: true, maxRetriesPerRequest: 1, enableAutoPipelining: true }) : undefined;
  if (redis !== undefined) {
    try {
      await redis.connect();
    } catch (error) {
      redis.disconnect();
      throw new UnavailableError(`no Redis at ${redisUrl()} (${(error as Error).message})`);
    }
  }
  if (config.variant === 'golevelup') {
    ({ module, handlersClass } = golevelupApp(config));
  } else if (config.variant.startsWith('module')) {
    ({ module, handlersClass } = moduleApp(config, redis));
  } else {
    module = bareApp(config);
  }
  const options = { rawBody: config.variant !== 'bare', logger: ['error' as const, 'warn' as const], abortOnError: false };
  // Fastify as the module's startup checks advise (every variant alike): timeouts, prototype keys removed.
  const fastify = (): FastifyAdapter =>
    new FastifyAdapter({ connectionTimeout: 60_000, requestTimeout: 30_000, onProtoPoisoning: 'remove', onConstructorPoisoning: 'remove' });
  const app = config.adapter === 'fastify' ? await NestFactory.create(module, fastify(), options) : await NestFactory.create(module, options);
  await app.listen(0, '127.0.0.1');
  const counter = handlersClass === undefined ? undefined : app.get(handlersClass);
  const port = (app.getHttpServer().address() as AddressInfo).port;
  return {
    port,
    commands: { handled: () => counter?.handled ?? 0 },
    close: async () => {
      await app.close();
      if (redis !== undefined) {
        await deleteKeys(redis, `${config.redisPrefix}*`);
        await redis.quit();
      }
    },
  };
}

/** Removes the keys a run left in Redis (its own prefix only). */
async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}
