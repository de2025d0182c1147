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

/**
 * Creates the shop (not listening yet: call `app.listen(port)`). `rawBody: true` keeps each
 * request's exact bytes, which the webhook signature is checked against.
 */
export async function createShopApp(options: CreateShopAppOptions = {}): Promise<INestApplication> {
  const module = AppModule.forRoot(options.settings);
  const appOptions = { rawBody: true, logger: options.logger, abortOnError: false };
  if (options.adapter === 'fastify') {
    // Fastify's JSON parser reads its limit from the instance (and keeps the raw body with rawBody: true).
    return NestFactory.create(module, new FastifyAdapter({ bodyLimit: MAX_JSON_BODY_BYTES }), appOptions);
  }
  const app = await NestFactory.create<NestExpressApplication>(module, appOptions);
  // Replaces Nest's default JSON parser (100 KB), keeping the raw body.
  app.useBodyParser('json', { limit: MAX_JSON_BODY_BYTES });
  return app;
}
