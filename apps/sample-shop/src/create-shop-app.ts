import 'reflect-metadata';
import type { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import type { ShopSettings } from './config/shop-environment';

/**
 * The largest JSON body the shop accepts, webhooks included: an order of 50 items is about 8 KB
 * and a Paymnt event a few KB. Larger bodies are refused (413) before they are parsed.
 */
export const MAX_JSON_BODY_BYTES = 64 * 1024;

export interface CreateShopAppOptions {
  /** The shop's settings; read from the environment (and `.env`) when omitted. */
  settings?: ShopSettings;
  /** Nest's logger option: a `LoggerService`, the levels to print, or `false`. */
  logger?: LoggerService | LogLevel[] | false;
  /** The HTTP platform. @default 'express' */
  adapter?: 'express' | 'fastify';
}

/** A whole request must arrive within this time, so slow clients cannot hold connections (slow loris). */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Creates the shop (not listening yet: call `app.listen(port)`). `rawBody: true` keeps each
 * request's exact bytes, which the webhook signature is checked against.
 */
export async function createShopApp(options: CreateShopAppOptions = {}): Promise<INestApplication> {
  const module = AppModule.forRoot(options.settings);
  const appOptions = { rawBody: true, logger: options.logger, abortOnError: false };
  if (options.adapter === 'fastify') {
    // Fastify's JSON parser reads its limit from the instance (and keeps the raw body with rawBody: true);
    // its own timeouts cut slow clients, and `__proto__` keys of signed webhooks are removed, not refused.
    const adapter = new FastifyAdapter({
      bodyLimit: MAX_JSON_BODY_BYTES,
      connectionTimeout: 2 * REQUEST_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      http: { headersTimeout: REQUEST_TIMEOUT_MS },
      onProtoPoisoning: 'remove',
      onConstructorPoisoning: 'remove',
    });
    return NestFactory.create(module, adapter, appOptions);
  }
  const app = await NestFactory.create<NestExpressApplication>(module, appOptions);
  // Replaces Nest's default JSON parser (100 KB), keeping the raw body.
  app.useBodyParser('json', { limit: MAX_JSON_BODY_BYTES });
  // Node's defaults are 300 s and 60 s, and it applies the larger of the two: set both.
  const server = app.getHttpServer();
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.headersTimeout = REQUEST_TIMEOUT_MS;
  return app;
}
