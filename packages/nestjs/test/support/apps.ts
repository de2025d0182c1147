import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';

export type AdapterName = 'express' | 'fastify';
export const ADAPTERS: AdapterName[] = ['express', 'fastify'];

export interface StartAppOptions {
  /** @default true */
  rawBody?: boolean;
  globalPrefix?: string;
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
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app.close();
    throw error;
  }
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, url: options.globalPrefix === undefined ? base : `${base}/${options.globalPrefix}` };
}
