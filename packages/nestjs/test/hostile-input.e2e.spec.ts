import { connect } from 'node:net';
import { Injectable, type INestApplication, Module, type Type } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { signWebhookPayload, WEBHOOK_SIGNATURE_HEADER } from '@paymnt/client';
import { OnPaymntEvent, type AnyPaymntEvent, PaymntDiagnosticsMessages, PaymntModule, type PaymntModuleOptions } from '@paymnt/nestjs';
import { buildWebhookEvent, sendSignedWebhook } from '@paymnt/nestjs/testing';
import { ADAPTERS, type AdapterName, RECOMMENDED_FASTIFY_OPTIONS, type StartAppOptions, startApp } from './support/apps';
import { paymentFixture, WEBHOOK_SECRET } from './support/fixtures';
import { CapturingLogger } from './support/logger';
import { webhookAppModule } from './support/webhook-app';

// Nothing here calls the API: the client points at a closed port.
const OPTIONS: PaymntModuleOptions = { apiKey: 'snd_test_key', baseUrl: 'http://127.0.0.1:9', maxRetries: 0 };
const PATH = 'webhooks/paymnt';
const MODULE = webhookAppModule({ ...OPTIONS, webhook: { secret: WEBHOOK_SECRET } }, PATH);

async function started(adapter: AdapterName, options: StartAppOptions = {}, module: Type<unknown> = MODULE) {
  const logger = new CapturingLogger();
  const { app, url } = await startApp(module, adapter, { logger, ...options });
  return { app, url, logger };
}

describe.each(ADAPTERS)('hostile content types on %s', (adapter) => {
  let app: INestApplication;
  let url: string;
  let logger: CapturingLogger;

  beforeAll(async () => {
    ({ app, url, logger } = await started(adapter));
  });

  afterAll(async () => {
    await app.close();
  });

  it.each(['text/json', 'application/vnd.api+json', 'application/json-patch+json', 'text/plain'])(
    'a forged request sent as %s is a 415, and logs no error',
    async (contentType) => {
      const body = JSON.stringify(buildWebhookEvent('payment_succeeded', paymentFixture()));
      for (let i = 0; i < 3; i++) {
        const forged = await sendSignedWebhook(`${url}/${PATH}`, body, WEBHOOK_SECRET, { signature: 'ab'.repeat(64), headers: { 'content-type': contentType } });
        expect(forged.status).toBe(415);
        // Even correctly signed, it is not what Paymnt sends.
        const signed = await sendSignedWebhook(`${url}/${PATH}`, body, WEBHOOK_SECRET, { headers: { 'content-type': contentType } });
        expect(signed.status).toBe(415);
      }
      expect(logger.lines.filter((line) => line.level === 'error' || line.level === 'fatal')).toEqual([]);
    },
  );
});

/** Opens a raw connection, sends the headers of a webhook and then its body one byte every 100 ms. */
function slowLoris(url: string): Promise<{ elapsedMs: number; answer: string }> {
  const { hostname, port } = new URL(url);
  const body = JSON.stringify(buildWebhookEvent('payment_succeeded', paymentFixture()));
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let answer = '';
    let sent = 0;
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        `POST /${PATH} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n` +
          `${WEBHOOK_SIGNATURE_HEADER}: ${signWebhookPayload(body, WEBHOOK_SECRET)}\r\n\r\n`,
      );
    });
    const drip = setInterval(() => {
      if (sent < body.length - 1 && !socket.destroyed) socket.write(body[sent++]);
    }, 100);
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the slow request was still open after 10 s (${sent} bytes sent)`));
    }, 10_000);
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(drip);
      clearTimeout(giveUp);
      resolve({ elapsedMs: Date.now() - started, answer });
    });
  });
}

describe.each(ADAPTERS)('slow clients on %s', (adapter) => {
  it('a request trickled in byte by byte is cut off by the request timeout of a properly configured app', async () => {
    const { app, url, logger } = await started(adapter, {
      fastify: { ...RECOMMENDED_FASTIFY_OPTIONS, requestTimeout: 1_000, http: { headersTimeout: 1_000 } },
      beforeListen: (nest) => {
        const server = nest.getHttpServer();
        if (adapter === 'express') {
          // Node's defaults are 300 s and 60 s; it applies the larger of the two.
          server.requestTimeout = 1_000;
          server.headersTimeout = 1_000;
        }
        server.connectionsCheckingInterval = 100; // Node checks timeouts every 30 s by default
      },
    });
    try {
      const { elapsedMs, answer } = await slowLoris(url);
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(elapsedMs).toBeGreaterThanOrEqual(900);
      expect(elapsedMs).toBeLessThan(5_000);
      expect(logger.find(PaymntDiagnosticsMessages.NO_REQUEST_TIMEOUT)).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe('no request timeout: a startup warning while a webhook route exists', () => {
  it("warns on Fastify's defaults (requestTimeout 0) and on a Node server whose requestTimeout is 0, with the fix", async () => {
    const fastifyDefaults = await started('fastify', { fastify: {} });
    const expressWithout = await started('express', { beforeListen: (nest) => (nest.getHttpServer().requestTimeout = 0) });
    for (const { app, logger } of [fastifyDefaults, expressWithout]) {
      await app.close();
      const warnings = logger.find(PaymntDiagnosticsMessages.NO_REQUEST_TIMEOUT, 'warn');
      expect(warnings).toHaveLength(1);
      expect(warnings[0].message).toContain('new FastifyAdapter({ connectionTimeout: 60_000, requestTimeout: 30_000, http: { headersTimeout: 30_000 } })');
    }
  });

  it("is silent with the recommended Fastify settings, Express's defaults, or no webhook route", async () => {
    @Module({ imports: [EventEmitterModule.forRoot(), PaymntModule.forRoot(OPTIONS)] })
    class NoRouteModule {}
    const runs = [await started('fastify'), await started('express'), await started('fastify', { fastify: {} }, NoRouteModule)];
    for (const { app, logger } of runs) {
      await app.close();
      expect(logger.find(PaymntDiagnosticsMessages.NO_REQUEST_TIMEOUT)).toEqual([]);
    }
  });
});

/** Keeps the events its handler receives, to check what a handler could do with them. */
@Injectable()
class EventKeeper {
  readonly events: AnyPaymntEvent[] = [];

  @OnPaymntEvent('paymnt.*')
  keep(event: AnyPaymntEvent): void {
    this.events.push(event);
  }
}

const keeperModule = (): Type<unknown> => {
  @Module({
    imports: [EventEmitterModule.forRoot({ wildcard: true }), PaymntModule.forRoot({ ...OPTIONS, webhook: { secret: WEBHOOK_SECRET, path: PATH } })],
    providers: [EventKeeper],
  })
  class KeeperModule {}
  return KeeperModule;
};

/** What a careless handler might do with an event: a recursive merge that follows every key. */
function naiveMerge(target: Record<string, any>, source: Record<string, any>): Record<string, any> {
  for (const key of Object.keys(source)) {
    if (typeof source[key] === 'object' && source[key] !== null) {
      target[key] ??= {};
      naiveMerge(target[key], source[key]);
    } else {
      target[key] = source[key];
    }
  }
  return target;
}

/** A genuine event whose JSON carries prototype keys at the top and in the payment's metadata, one of them escaped. */
function eventWithPrototypeKeys(): { body: string; paymentId: string } {
  const payment = paymentFixture();
  const json = JSON.stringify(buildWebhookEvent('payment_succeeded', payment));
  const poison = '"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}';
  const body = json
    .replace(/^\{/, `{${poison},`)
    .replace('"metadata":null', `"metadata":{"order":"42","\\u005f_proto__":{"polluted":"yes"},${poison}}`);
  expect(body).not.toBe(json);
  return { body, paymentId: payment.payment_id };
}

describe.each(ADAPTERS)('signed events with __proto__ / constructor keys on %s', (adapter) => {
  afterEach(() => {
    delete (Object.prototype as Record<string, unknown>).polluted;
  });

  it('are verified and acknowledged 2xx, and the event a handler gets cannot pollute prototypes', async () => {
    const { app, url, logger } = await started(adapter, {}, keeperModule());
    try {
      const { body, paymentId } = eventWithPrototypeKeys();
      const response = await sendSignedWebhook(`${url}/${PATH}`, body, WEBHOOK_SECRET);
      expect(response).toMatchObject({ status: 200, body: { received: true, outcome: 'dispatched' } });
      const events = app.get(EventKeeper).events;
      expect(events).toHaveLength(1);
      const event = events[0] as AnyPaymntEvent & { payment: { payment_id: string; metadata: Record<string, unknown> } };
      expect(event.payment.payment_id).toBe(paymentId);
      expect(event.payment.metadata).toEqual({ order: '42' });
      for (const object of [event.raw as object, event.payment.metadata]) {
        expect(Object.prototype.hasOwnProperty.call(object, '__proto__')).toBe(false);
        expect(Object.prototype.hasOwnProperty.call(object, 'constructor')).toBe(false);
      }
      naiveMerge({}, event.raw as unknown as Record<string, unknown>);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(logger.find(PaymntDiagnosticsMessages.PROTOTYPE_KEYS_REFUSED)).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe("Fastify's default onProtoPoisoning: 'error'", () => {
  it('refuses such an event with 400 before verification, which the startup warning says, with the fix', async () => {
    const { app, url, logger } = await started('fastify', { fastify: {} }, keeperModule());
    try {
      const warnings = logger.find(PaymntDiagnosticsMessages.PROTOTYPE_KEYS_REFUSED, 'warn');
      expect(warnings).toHaveLength(1);
      expect(warnings[0].message).toContain("new FastifyAdapter({ onProtoPoisoning: 'remove', onConstructorPoisoning: 'remove' })");
      const response = await sendSignedWebhook(`${url}/${PATH}`, eventWithPrototypeKeys().body, WEBHOOK_SECRET);
      expect(response.status).toBe(400);
      expect(app.get(EventKeeper).events).toHaveLength(0);
    } finally {
      await app.close();
    }
  });
});
