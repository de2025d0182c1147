import { randomUUID } from 'node:crypto';
import { Injectable, Module, type Type } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { signWebhookPayload } from '@paymnt/client';
import {
  PaymntIntakeService,
  PaymntModule,
  type PaymntModuleOptions,
  PaymntWebhookProcessor,
  type PaymntWebhookRequest,
} from '@paymnt/nestjs';
import { buildWebhookEvent, sendSignedWebhook } from '@paymnt/nestjs/testing';
import Redis from 'ioredis';
import { ADAPTERS, startApp } from './support/apps';
import { paymentFixture, WEBHOOK_SECRET } from './support/fixtures';
import { EventRecorder, PaymntHandlers } from './support/recorder';
import { describeWithRedis, REDIS_HOST, REDIS_PORT } from './support/redis';
import { OwnWebhookController } from './support/webhook-app';

// Nothing here calls the API: the client points at a closed port.
const OPTIONS: PaymntModuleOptions = { apiKey: 'snd_test_key', baseUrl: 'http://127.0.0.1:9', maxRetries: 0 };
const PATH = 'webhooks/paymnt';
const PROXY_HEADER = 'x-proxy-signature';

/** A customised verification: the signature comes in another header (set by a proxy, say). */
@Injectable()
class ProxySignatureProcessor extends PaymntWebhookProcessor {
  protected override getSignature(request: PaymntWebhookRequest): string | string[] | undefined {
    return request.headers[PROXY_HEADER];
  }
}

/** Sends `event` signed with the right secret, the signature in `header` only. */
async function deliver(url: string, event: object, header: string) {
  const body = JSON.stringify(event);
  const signature = signWebhookPayload(body, WEBHOOK_SECRET);
  // The standard header is blanked, so only `header` carries the signature.
  return sendSignedWebhook(url, body, WEBHOOK_SECRET, { signature: '', headers: { [header]: signature } });
}

type Registration = 'forRoot' | 'forRootAsync';

function processorAppModule(registration: Registration, extra: PaymntModuleOptions['webhook'] = { secret: WEBHOOK_SECRET }): Type<unknown> {
  const paymnt =
    registration === 'forRoot'
      ? PaymntModule.forRoot({ ...OPTIONS, webhook: { ...extra, path: PATH, processor: ProxySignatureProcessor } })
      : PaymntModule.forRootAsync({
          webhookPath: PATH,
          webhookProcessor: ProxySignatureProcessor,
          useFactory: () => ({ ...OPTIONS, webhook: extra }),
        });
  @Module({
    imports: [EventEmitterModule.forRoot({ wildcard: true }), paymnt],
    controllers: [OwnWebhookController],
    providers: [EventRecorder, PaymntHandlers],
  })
  class ProcessorAppModule {}
  return ProcessorAppModule;
}

describe.each(ADAPTERS)('webhook.processor on %s', (adapter) => {
  describe.each<Registration>(['forRoot', 'forRootAsync'])('%s', (registration) => {
    it('is the processor of the built-in route and of PaymntWebhookGuard', async () => {
      const { app, url } = await startApp(processorAppModule(registration), adapter);
      try {
        const recorder = app.get(EventRecorder);
        expect(app.get(PaymntWebhookProcessor)).toBeInstanceOf(ProxySignatureProcessor);

        const builtIn = paymentFixture();
        const viaBuiltIn = await deliver(`${url}/${PATH}`, buildWebhookEvent('payment_succeeded', builtIn), PROXY_HEADER);
        expect(viaBuiltIn).toMatchObject({ status: 200, body: { received: true, outcome: 'dispatched' } });
        expect(recorder.count({ handler: 'typed', objectId: builtIn.payment_id })).toBe(1);

        const guarded = paymentFixture();
        const viaGuard = await deliver(`${url}/webhooks/own`, buildWebhookEvent('payment_succeeded', guarded), PROXY_HEADER);
        expect(viaGuard.status).toBe(201);
        expect(recorder.count({ handler: 'typed', objectId: guarded.payment_id })).toBe(1);

        // The standard header is not read any more, on either route.
        for (const route of [PATH, 'webhooks/own']) {
          const other = paymentFixture();
          const refused = await deliver(`${url}/${route}`, buildWebhookEvent('payment_succeeded', other), 'x-webhook-signature-512');
          expect({ route, status: refused.status, code: refused.body.code }).toEqual({ route, status: 401, code: 'missing_header' });
          expect(recorder.count({ objectId: other.payment_id })).toBe(0);
        }
      } finally {
        await app.close();
      }
    });
  });

  it('the old way, { provide: PaymntWebhookProcessor, useClass } in your module, still reaches your guarded routes only', async () => {
    @Module({
      imports: [EventEmitterModule.forRoot({ wildcard: true }), PaymntModule.forRoot({ ...OPTIONS, webhook: { secret: WEBHOOK_SECRET, path: PATH } })],
      controllers: [OwnWebhookController],
      providers: [EventRecorder, PaymntHandlers, { provide: PaymntWebhookProcessor, useClass: ProxySignatureProcessor }],
    })
    class OverrideAppModule {}
    const { app, url } = await startApp(OverrideAppModule, adapter);
    try {
      const viaGuard = await deliver(`${url}/webhooks/own`, buildWebhookEvent('payment_succeeded', paymentFixture()), PROXY_HEADER);
      expect(viaGuard.status).toBe(201);
      const viaBuiltIn = await deliver(`${url}/${PATH}`, buildWebhookEvent('payment_succeeded', paymentFixture()), PROXY_HEADER);
      expect(viaBuiltIn.status).toBe(401);
    } finally {
      await app.close();
    }
  });
});

describeWithRedis('webhook.processor with durable intake (real Redis)', () => {
  const prefix = 'paymnt-test';
  const queues: string[] = [];

  afterAll(async () => {
    const redis = new Redis({ host: REDIS_HOST, port: REDIS_PORT });
    for (const queue of queues) {
      const keys = await redis.keys(`${prefix}:${queue}*`);
      if (keys.length > 0) await redis.del(...keys);
    }
    await redis.quit();
  });

  it.each<Registration>(['forRoot', 'forRootAsync'])('%s: the subclass verifies, the event is enqueued (not published in the request), a worker publishes it', async (registration) => {
    const queueName = `paymnt-processor-${randomUUID()}`;
    queues.push(queueName);
    const intake = { connection: { host: REDIS_HOST, port: REDIS_PORT }, queueName, prefix, attempts: 2, backoffMs: 10 };
    const { app, url } = await startApp(processorAppModule(registration, { secret: WEBHOOK_SECRET, intake }), 'express');
    try {
      const recorder = app.get(EventRecorder);
      const processor = app.get(PaymntWebhookProcessor);
      expect(processor).toBeInstanceOf(ProxySignatureProcessor);

      const payment = paymentFixture();
      const key = `${payment.payment_id}:payment_succeeded`;
      let open!: () => void;
      // The handler waits until the answer is in: had the request published, it could not have answered.
      recorder.gates.set(key, new Promise<void>((resolve) => (open = resolve)));
      const response = await deliver(`${url}/${PATH}`, buildWebhookEvent('payment_succeeded', payment), PROXY_HEADER);
      expect(response).toMatchObject({ status: 200, body: { received: true, outcome: 'queued' } });
      open();

      const service = app.get(PaymntIntakeService);
      const deadline = Date.now() + 10_000;
      while (recorder.count({ handler: 'wildcard', objectId: payment.payment_id }) === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(recorder.count({ handler: 'wildcard', objectId: payment.payment_id, source: 'webhook' })).toBe(1);
      // The worker marks the job completed just after the handler returns: wait for that, not a fixed moment.
      while ((await service.getCounts()).completed === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect((await service.getCounts()).completed).toBe(1);

      const refused = await deliver(`${url}/${PATH}`, buildWebhookEvent('payment_succeeded', paymentFixture()), 'x-webhook-signature-512');
      expect(refused).toMatchObject({ status: 401, body: { code: 'missing_header' } });
      expect((await service.getCounts()).waiting).toBe(0);
    } finally {
      await app.close();
    }
  });
});
