import 'reflect-metadata';
import type { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import type { ShopSettings } from './config/shop-environment';

export interface CreateShopAppOptions {
  /** The shop's settings; read from the environment (and `.env`) when omitted. */
  settings?: ShopSettings;
  /** Nest's logger option: a `LoggerService`, the levels to print, or `false`. */
  logger?: LoggerService | LogLevel[] | false;
}

/** A whole request must arrive within this time, so slow clients cannot hold connections (slow loris). */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Creates the shop (not listening yet: call `app.listen(port)`). `rawBody: true` keeps each
 * request's exact bytes, which the webhook signature is checked against.
 */
export async function createShopApp(options: CreateShopAppOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(options.settings), {
    rawBody: true,
    logger: options.logger,
    abortOnError: false,
  });
  // Node's defaults are 300 s and 60 s, and it applies the larger of the two: set both.
  const server = app.getHttpServer();
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.headersTimeout = REQUEST_TIMEOUT_MS;
  return app;
}
