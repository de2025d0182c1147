import { createServer } from 'node:net';
import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';

export type AdapterName = 'express' | 'fastify';
export const ADAPTERS: AdapterName[] = ['express', 'fastify'];

export interface StartAppOptions {
  /** @default true */
  rawBody?: boolean;
  globalPrefix?: string;
  /** @default 0 (any free port) */
  port?: number;
}

export interface StartedApp {
  app: INestApplication;
  /** `http://127.0.0.1:<port>`, plus the global prefix when there is one. */
  url: string;
}

/** Creates a Nest app module on one adapter; rejects (instead of exiting) when bootstrap fails. */
export async function createApp(module: Type<unknown>, adapter: AdapterName, options: StartAppOptions = {}): Promise<INestApplication> {
  const appOptions = { rawBody: options.rawBody ?? true, logger: false as const, abortOnError: false };
  return adapter === 'express'
    ? NestFactory.create(module, appOptions)
    : NestFactory.create(module, new FastifyAdapter(), appOptions);
}

/** Boots a real app on 127.0.0.1, port 0. */
export async function startApp(module: Type<unknown>, adapter: AdapterName, options: StartAppOptions = {}): Promise<StartedApp> {
  const app = await createApp(module, adapter, options);
  if (options.globalPrefix !== undefined) app.setGlobalPrefix(options.globalPrefix);
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
