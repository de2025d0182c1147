import { createServer } from 'node:net';
import type { INestApplication, LoggerService, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type FastifyAdapter as FastifyAdapterType } from '@nestjs/platform-fastify';

export type AdapterName = 'express' | 'fastify';
export const ADAPTERS: AdapterName[] = ['express', 'fastify'];

/** Options of `new FastifyAdapter()`. */
export type FastifyOptions = NonNullable<ConstructorParameters<typeof FastifyAdapterType>[0]>;

/**
 * The Fastify settings the README recommends for an app receiving webhooks: time limits for slow
 * clients (Fastify has none by default), and `__proto__` keys removed rather than refused, so a
 * signed event carrying one is verified instead of answered 400.
 */
export const RECOMMENDED_FASTIFY_OPTIONS = {
  connectionTimeout: 60_000,
  requestTimeout: 30_000,
  // Node applies the larger of requestTimeout and headersTimeout (60 s by default).
  http: { headersTimeout: 30_000 },
  onProtoPoisoning: 'remove',
  onConstructorPoisoning: 'remove',
} as const satisfies FastifyOptions;

export interface StartAppOptions {
  /** @default true */
  rawBody?: boolean;
  globalPrefix?: string;
  /** @default 0 (any free port) */
  port?: number;
  /** Nest's logger. @default false (silent) */
  logger?: LoggerService | false;
  /** The FastifyAdapter's options. @default RECOMMENDED_FASTIFY_OPTIONS */
  fastify?: FastifyOptions;
  /** Called on the app before it listens (e.g. to tune its HTTP server). */
  beforeListen?: (app: INestApplication) => void;
}

export interface StartedApp {
  app: INestApplication;
  /** `http://127.0.0.1:<port>`, plus the global prefix when there is one. */
  url: string;
}

/** Creates a Nest app module on one adapter; rejects (instead of exiting) when bootstrap fails. */
export async function createApp(module: Type<unknown>, adapter: AdapterName, options: StartAppOptions = {}): Promise<INestApplication> {
  const appOptions = { rawBody: options.rawBody ?? true, logger: options.logger ?? (false as const), abortOnError: false };
  return adapter === 'express'
    ? NestFactory.create(module, appOptions)
    : NestFactory.create(module, new FastifyAdapter(options.fastify ?? RECOMMENDED_FASTIFY_OPTIONS), appOptions);
}

/** Boots a real app on 127.0.0.1, port 0. */
export async function startApp(module: Type<unknown>, adapter: AdapterName, options: StartAppOptions = {}): Promise<StartedApp> {
  const app = await createApp(module, adapter, options);
  if (options.globalPrefix !== undefined) app.setGlobalPrefix(options.globalPrefix);
  options.beforeListen?.(app);
  try {
    await app.listen(options.port ?? 0, '127.0.0.1');
  } catch (error) {
    await app.close();
    throw error;
  }
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, url: options.globalPrefix === undefined ? base : `${base}/${options.globalPrefix}` };
}

/** A port that was free a moment ago, for an app whose URL must be known before it starts. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
