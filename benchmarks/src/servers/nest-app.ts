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
import { EventEmitterModule } from '@nestjs/event-emitter';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { AddressInfo } from 'node:net';
import { loadPackage } from '../lib/packages';
import type { ServerRole } from './role';

export type NestAdapterName = 'express' | 'fastify';
/**
 * `module`: PaymntModule's built-in webhook route; `bare`: a route that only parses JSON; `bare-raw`:
 * the same with `rawBody: true`; `bare-verify`: `rawBody: true` and a raw HMAC-SHA512 check of the
 * signature header (the least any verifying route does), nothing else. `module-telemetry-off`: the
 * module with `telemetry: { enabled: false }`, against which `module` (the telemetry code path with
 * `@opentelemetry/api` installed and no SDK registered, as here) is compared.
 */
export type NestVariant = 'module' | 'module-telemetry-off' | 'bare' | 'bare-raw' | 'bare-verify';

export interface NestAppConfig {
  adapter: NestAdapterName;
  variant: NestVariant;
  path: string;
  /** For `module` and `bare-verify`. */
  secret?: string;
  /** Only for `module`: the bound of its MemoryEventStore (the module's default when absent). */
  storeMaxEntries?: number;
}

/** The part of @paymnt/nestjs the benchmark uses (loaded at run time, see lib/packages.ts). */
interface PaymntNestjs {
  PaymntModule: { forRoot(options: Record<string, unknown>): DynamicModule };
  OnPaymntEvent(event: string): MethodDecorator;
  PaymntEvents: Record<string, string>;
  MemoryEventStore: new (options?: { maxEntries?: number }) => object;
}

/** Counts what the handler saw, to check that every accepted webhook was dispatched exactly once. */
interface Counter {
  handled: number;
}

function moduleApp(config: NestAppConfig): { module: Type<unknown>; handlersClass: Type<Counter> } {
  const nest = loadPackage<PaymntNestjs>('@paymnt/nestjs', ['PaymntModule', 'OnPaymntEvent', 'PaymntEvents', 'MemoryEventStore']);
  const store = config.storeMaxEntries === undefined ? undefined : new nest.MemoryEventStore({ maxEntries: config.storeMaxEntries });
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
        webhook: { secret: config.secret, path: config.path, ...(store === undefined ? {} : { store }) },
        telemetry: { enabled: config.variant !== 'module-telemetry-off' },
      }),
    ],
    providers: [PaymentHandlers],
  })
  class WebhookBenchModule {}
  return { module: WebhookBenchModule, handlersClass: PaymentHandlers };
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
  if (config.variant === 'module' || config.variant === 'module-telemetry-off') {
    ({ module, handlersClass } = moduleApp(config));
  } else {
    module = bareApp(config);
  }
  const options = { rawBody: config.variant !== 'bare', logger: ['error' as const, 'warn' as const], abortOnError: false };
  const app =
    config.adapter === 'fastify' ? await NestFactory.create(module, new FastifyAdapter(), options) : await NestFactory.create(module, options);
  await app.listen(0, '127.0.0.1');
  const counter = handlersClass === undefined ? undefined : app.get(handlersClass);
  const port = (app.getHttpServer().address() as AddressInfo).port;
  return {
    port,
    commands: { handled: () => counter?.handled ?? 0 },
    close: () => app.close(),
  };
}
