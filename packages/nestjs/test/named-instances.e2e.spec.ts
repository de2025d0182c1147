import { Controller, type INestApplication, Injectable, Module, Post, type Type, UseGuards } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import type { PaymentCreateParams, PaymntClient } from '@paymnt/client';
import {
  type AnyPaymntEvent,
  CustomersService,
  getPaymntClientToken,
  getPaymntServiceToken,
  InjectPaymntClient,
  InjectPaymntService,
  OnPaymntEvent,
  PaymentsService,
  PaymntConfigurationError,
  PaymntIntakeService,
  PaymntModule,
  type PaymntModuleOptions,
  type PaymntPublishOutcome,
  PaymntWebhookGuard,
  PaymntWebhookProcessor,
  WebhookPublishOutcome,
  RedisEventStore,
} from '@paymnt/nestjs';
import { buildWebhookEvent, createPaymntTestingSandbox, type PaymntTestingSandbox, sendSignedWebhook } from '@paymnt/nestjs/testing';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { ADAPTERS, type AdapterName, createApp, startApp } from './support/apps';
import { paymentFixture } from './support/fixtures';
import { type ModuleStyle, STYLES } from './support/flow-app';
import { describeWithRedis, REDIS_HOST, REDIS_PORT, uniquePrefix } from './support/redis';

const US_PATH = 'webhooks/paymnt';
const EU_PATH = 'webhooks/paymnt-eu';

const payment = (extra: Partial<PaymentCreateParams> = {}): PaymentCreateParams => ({
  amount: 6540,
  currency: 'EUR',
  authentication_type: 'no_three_ds',
  payment_method: 'card',
  payment_method_type: 'credit',
  payment_method_data: { card: { card_number: '4242424242424242', card_exp_month: '10', card_exp_year: '35', card_cvc: '123', card_holder_name: 'Jo Doe' } },
  confirm: true,
  ...extra,
});

/** Every domain event, whichever instance published it: one handler for all of them. */
@Injectable()
class AllEvents {
  readonly events: AnyPaymntEvent[] = [];

  @OnPaymntEvent('paymnt.*')
  onAny(event: AnyPaymntEvent): void {
    this.events.push(event);
  }

  of(objectId: string): Array<{ instance: string; type: string; source: string }> {
    return this.events
      .filter((event) => ('payment' in event ? event.payment.payment_id : 'refund' in event ? event.refund.refund_id : event.eventId) === objectId)
      .map(({ instance, type, source }) => ({ instance, type, source }));
  }
}

/** What an app writes: the default instance injected as always, the 'eu' one by name. */
@Injectable()
class Shop {
  constructor(
    readonly payments: PaymentsService,
    @InjectPaymntService(PaymentsService, 'eu') readonly euPayments: PaymentsService,
    @InjectPaymntService(CustomersService, 'eu') readonly euCustomers: CustomersService,
    @InjectPaymntClient() readonly client: PaymntClient,
    @InjectPaymntClient('eu') readonly euClient: PaymntClient,
  ) {}
}

/** `PaymntWebhookGuard` verifying with the 'eu' instance, for a route of the app's own. */
@Injectable()
class EuWebhookGuard extends PaymntWebhookGuard {
  constructor(@InjectPaymntService(PaymntWebhookProcessor, 'eu') processor: PaymntWebhookProcessor) {
    super(processor);
  }
}

@Controller('own')
class OwnEuWebhookController {
  @Post('eu')
  @UseGuards(EuWebhookGuard)
  receive(@WebhookPublishOutcome() outcome: PaymntPublishOutcome): { outcome: PaymntPublishOutcome } {
    return { outcome };
  }
}

/** The 'eu' instance, configured statically or from a factory. */
function euImport(style: ModuleStyle, options: PaymntModuleOptions, path: string, name = 'eu') {
  if (style === 'forRoot') return PaymntModule.forRoot({ ...options, name, webhook: options.webhook && { ...options.webhook, path } });
  return PaymntModule.forRootAsync({ name, useFactory: async () => options, webhookPath: path });
}

function appModule(imports: unknown[], providers: Array<Type<unknown>> = [], controllers: Array<Type<unknown>> = []): Type<unknown> {
  @Module({ imports: [EventEmitterModule.forRoot({ wildcard: true }), ...(imports as Type<unknown>[])], providers: [AllEvents, ...providers], controllers })
  class AppModule {}
  return AppModule;
}

describe.each(ADAPTERS.flatMap((adapter) => STYLES.map((style) => [adapter, style] as const)))(
  'a default and an "eu" instance on %s (eu with %s), against two sandboxes',
  (adapter, style) => {
    let us: PaymntTestingSandbox;
    let eu: PaymntTestingSandbox;
    let app: INestApplication;
    let url: string;
    let shop: Shop;
    let events: AllEvents;

    beforeAll(async () => {
      [us, eu] = await Promise.all([createPaymntTestingSandbox(), createPaymntTestingSandbox()]);
      const module = appModule([PaymntModule.forRoot(us.moduleOptions(US_PATH)), euImport(style, eu.moduleOptions(), EU_PATH)], [Shop], [OwnEuWebhookController]);
      ({ app, url } = await startApp(module, adapter));
      us.pointWebhooksAt(`${url}/${US_PATH}`);
      eu.pointWebhooksAt(`${url}/${EU_PATH}`);
      shop = app.get(Shop);
      events = app.get(AllEvents);
    });

    afterAll(async () => {
      await app?.close();
      await Promise.all([us?.close(), eu?.close()]);
    });

    it('gives each instance its own key, client and services', async () => {
      expect(us.sandbox.apiKey).not.toBe(eu.sandbox.apiKey);
      expect(us.sandbox.webhookSecret).not.toBe(eu.sandbox.webhookSecret);
      expect(shop.euClient).not.toBe(shop.client);
      expect(app.get(getPaymntClientToken('eu'))).toBe(shop.euClient);
      expect(app.get(getPaymntServiceToken(PaymentsService, 'eu'))).toBe(shop.euPayments);
      expect(getPaymntServiceToken(PaymentsService)).toBe(PaymentsService);
      // The named instance never shadows the default one's services.
      expect(app.get(PaymentsService)).toBe(shop.payments);
      expect(shop.euPayments).not.toBe(shop.payments);

      const usPayment = await shop.payments.create(payment());
      const euPayment = await shop.euPayments.create(payment());
      const euCustomer = await shop.euCustomers.create({ email: 'jo@example.com' });
      // Each exists only in its own sandbox (the other account cannot see it).
      await expect(shop.client.payments.retrieve(usPayment.payment_id)).resolves.toMatchObject({ status: 'succeeded' });
      await expect(shop.euClient.payments.retrieve(euPayment.payment_id)).resolves.toMatchObject({ status: 'succeeded' });
      await expect(shop.euClient.payments.retrieve(usPayment.payment_id)).rejects.toMatchObject({ statusCode: 404 });
      await expect(shop.client.payments.retrieve(euPayment.payment_id)).rejects.toMatchObject({ statusCode: 404 });
      await expect(shop.client.customers.retrieve(euCustomer.customer_id)).rejects.toMatchObject({ statusCode: 404 });
      await expect(shop.euClient.customers.retrieve(euCustomer.customer_id)).resolves.toMatchObject({ email: 'jo@example.com' });
      // Service results are published as their own instance.
      await Promise.all([us.waitForWebhooksAcknowledged(), eu.waitForWebhooksAcknowledged()]);
      expect(events.of(usPayment.payment_id)).toEqual([{ instance: 'default', type: 'payment_succeeded', source: 'api' }]);
      expect(events.of(euPayment.payment_id)).toEqual([{ instance: 'eu', type: 'payment_succeeded', source: 'api' }]);
    });

    it("delivers each sandbox's webhooks to its own route, verified with its own secret, events telling the instance", async () => {
      // Made with the clients, not the services: the handlers learn them from the webhooks only.
      const usPayment = await shop.client.payments.create(payment());
      const euPayment = await shop.euClient.payments.create(payment());
      await Promise.all([us.waitForWebhooksAcknowledged(), eu.waitForWebhooksAcknowledged()]);
      expect(events.of(usPayment.payment_id)).toEqual([{ instance: 'default', type: 'payment_succeeded', source: 'webhook' }]);
      expect(events.of(euPayment.payment_id)).toEqual([{ instance: 'eu', type: 'payment_succeeded', source: 'webhook' }]);
      const [euEvent] = eu.sandbox.state.listEvents().filter((event) => event.objectId === euPayment.payment_id);
      const outcomes = eu.sandbox.state.listDeliveryAttempts(euEvent.eventId).map((attempt) => attempt.response.status_code);
      expect(outcomes).toEqual([200]);
    });

    it("answers 401 to a webhook signed with the other instance's secret", async () => {
      const body = JSON.stringify(buildWebhookEvent('payment_succeeded', paymentFixture()));
      expect((await sendSignedWebhook(`${url}/${EU_PATH}`, body, us.sandbox.webhookSecret)).status).toBe(401);
      expect((await sendSignedWebhook(`${url}/${US_PATH}`, body, eu.sandbox.webhookSecret)).status).toBe(401);
      expect((await sendSignedWebhook(`${url}/${EU_PATH}`, body, eu.sandbox.webhookSecret)).body).toEqual({ received: true, outcome: 'dispatched' });
      expect((await sendSignedWebhook(`${url}/${US_PATH}`, body, us.sandbox.webhookSecret)).body).toEqual({ received: true, outcome: 'dispatched' });
      // The app's own route, guarded with the 'eu' instance's processor.
      const own = JSON.stringify(buildWebhookEvent('payment_succeeded', paymentFixture()));
      expect((await sendSignedWebhook(`${url}/own/eu`, own, us.sandbox.webhookSecret)).status).toBe(401);
      expect((await sendSignedWebhook(`${url}/own/eu`, own, eu.sandbox.webhookSecret)).body).toEqual({ outcome: 'dispatched' });
      expect(events.of(JSON.parse(own).content.object.payment_id)).toEqual([{ instance: 'eu', type: 'payment_succeeded', source: 'webhook' }]);
    });
  },
);

describeWithRedis('named instances sharing one RedisEventStore', () => {
  const US_SECRET = 'whsec_us_0123456789abcdef';
  const EU_SECRET = 'whsec_eu_0123456789abcdef';
  let prefix: string;
  let redis: Redis;
  let app: INestApplication | undefined;

  beforeEach(() => {
    prefix = uniquePrefix('named-instances');
    redis = new Redis({ host: REDIS_HOST, port: REDIS_PORT });
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it.each(ADAPTERS)('on %s: the same event id on both instances is not a duplicate of the other', async (adapter: AdapterName) => {
    const store = new RedisEventStore(redis, { keyPrefix: prefix });
    const options = { apiKey: 'snd_test_key', baseUrl: 'http://127.0.0.1:9', maxRetries: 0, store };
    const module = appModule([
      PaymntModule.forRoot({ ...options, webhook: { secret: US_SECRET, path: US_PATH } }),
      PaymntModule.forRoot({ ...options, name: 'eu', webhook: { secret: EU_SECRET, path: EU_PATH } }),
    ]);
    let url: string;
    ({ app, url } = await startApp(module, adapter));
    // Both accounts number their events on their own: the same event_id and object may come from each.
    const body = JSON.stringify(buildWebhookEvent('payment_succeeded', paymentFixture()));
    const first = await Promise.all([sendSignedWebhook(`${url}/${US_PATH}`, body, US_SECRET), sendSignedWebhook(`${url}/${EU_PATH}`, body, EU_SECRET)]);
    expect(first.map((response) => response.body.outcome)).toEqual(['dispatched', 'dispatched']);
    // Each instance still de-duplicates its own redeliveries.
    const again = await Promise.all([sendSignedWebhook(`${url}/${US_PATH}`, body, US_SECRET), sendSignedWebhook(`${url}/${EU_PATH}`, body, EU_SECRET)]);
    expect(again.map((response) => response.body.outcome)).toEqual(['duplicate', 'duplicate']);
    const { payment_id } = JSON.parse(body).content.object;
    expect(app.get(AllEvents).of(payment_id).map((event) => event.instance).sort()).toEqual(['default', 'eu']);
    const keys = await redis.keys(`${prefix}*`);
    // Each instance's records are under its own keys: `<prefix>claim:eu/pay_…` for the named one.
    expect(keys.filter((key) => key.startsWith(`${prefix}claim:eu/`))).toHaveLength(1);
    expect(keys.filter((key) => key.startsWith(`${prefix}claim:pay_`))).toHaveLength(1);
  });
});

/** The default instance's intake, as the app injects it. */
@Injectable()
class DefaultIntake {
  constructor(readonly intake: PaymntIntakeService) {}
}

describeWithRedis('named instances with durable intake on one Redis', () => {
  // BullMQ prefixes may not contain ":"; this one is this run's own.
  const bullPrefix = `paymnt-test-${randomUUID()}`;
  let app: INestApplication | undefined;

  afterAll(async () => {
    await app?.close();
    const redis = new Redis({ host: REDIS_HOST, port: REDIS_PORT });
    const keys = await redis.keys(`${bullPrefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it("each instance has its own queue: the same event queued on both is handled by each, as itself", async () => {
    const intake = { connection: { host: REDIS_HOST, port: REDIS_PORT }, prefix: bullPrefix, backoffMs: 50 };
    const options = { apiKey: 'snd_test_key', baseUrl: 'http://127.0.0.1:9', maxRetries: 0 };
    const module = appModule([
      PaymntModule.forRoot({ ...options, webhook: { secret: 'whsec_us', path: US_PATH, intake } }),
      PaymntModule.forRoot({ ...options, name: 'eu', webhook: { secret: 'whsec_eu', path: EU_PATH, intake } }),
    ], [DefaultIntake]);
    let url: string;
    ({ app, url } = await startApp(module, 'express'));
    expect(app.get(DefaultIntake).intake.toJSON()).toMatchObject({ queueName: 'paymnt-webhooks' });
    expect(app.get<PaymntIntakeService>(getPaymntServiceToken(PaymntIntakeService, 'eu')).toJSON()).toMatchObject({
      queueName: 'paymnt-webhooks-eu',
      deadLetterQueueName: 'paymnt-webhooks-eu-dead-letters',
    });
    const body = JSON.stringify(buildWebhookEvent('payment_succeeded', paymentFixture()));
    const answers = await Promise.all([sendSignedWebhook(`${url}/${US_PATH}`, body, 'whsec_us'), sendSignedWebhook(`${url}/${EU_PATH}`, body, 'whsec_eu')]);
    expect(answers.map((answer) => answer.body.outcome)).toEqual(['queued', 'queued']);
    const { payment_id } = JSON.parse(body).content.object;
    const events = app.get(AllEvents);
    const deadline = Date.now() + 15_000;
    while (events.of(payment_id).length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(events.of(payment_id).map((event) => event.instance).sort()).toEqual(['default', 'eu']);
  });
});

describe('named instances: startup errors', () => {
  const options = { apiKey: 'snd_test_key', baseUrl: 'http://127.0.0.1:9' };

  it.each([['eu west'], [''], ['eu/1'], ['a'.repeat(65)], [42]])('refuses the name %p, naming the option', (name) => {
    for (const create of [
      () => PaymntModule.forRoot({ ...options, name: name as string }),
      () => PaymntModule.forRootAsync({ name: name as string, useFactory: () => options }),
    ]) {
      expect(create).toThrow(PaymntConfigurationError);
      expect(create).toThrow('PaymntModule: invalid option "name": must be 1 to 64 letters, digits, "_" or "-"');
    }
  });

  /** The error that stops the app: from creating it (the options) or initialising it (the instances). */
  async function startupError(imports: unknown[]): Promise<Error> {
    let app: INestApplication | undefined;
    try {
      app = await createApp(appModule(imports), 'express');
      await app.init();
    } catch (error) {
      return error as Error;
    } finally {
      await app?.close().catch(() => undefined);
    }
    throw new Error('expected the app not to start');
  }

  it('refuses two instances with the same name, naming it and both routes', async () => {
    const error = await startupError([
      PaymntModule.forRoot({ ...options, name: 'eu', webhook: { secret: 's1', path: 'hooks/a' } }),
      PaymntModule.forRootAsync({ name: 'eu', useFactory: () => ({ ...options, webhook: { secret: 's2' } }), webhookPath: 'hooks/b' }),
    ]);
    expect(error).toBeInstanceOf(PaymntConfigurationError);
    expect(error.message).toMatch(/invalid option "name": is "eu" for two PaymntModule instances \(routes "hooks\/(a|b)" and "hooks\/(a|b)"\)/);
    const unnamed = await startupError([PaymntModule.forRoot(options), PaymntModule.forRoot(options)]);
    expect(unnamed.message).toContain('is "default" for two PaymntModule instances');
  });

  it('refuses two instances on the same webhook path, naming both', async () => {
    const error = await startupError([
      PaymntModule.forRoot({ ...options, webhook: { secret: 's1', path: '/webhooks/paymnt/' } }),
      euImport('forRootAsync', { ...options, webhook: { secret: 's2' } }, 'webhooks/paymnt'),
    ]);
    expect(error).toBeInstanceOf(PaymntConfigurationError);
    expect(error.message).toMatch(/invalid option "webhook.path": is "webhooks\/paymnt" for the PaymntModule instances "(default|eu)" and "(default|eu)"/);
    expect(error.message).toContain('"default"');
    expect(error.message).toContain('"eu"');
  });

  it('refuses a name returned by the forRootAsync() factory', async () => {
    const error = await startupError([PaymntModule.forRootAsync({ useFactory: () => ({ ...options, name: 'eu' }) as PaymntModuleOptions })]);
    expect(error).toBeInstanceOf(PaymntConfigurationError);
    expect(error.message).toContain('invalid option "name": cannot be set by the forRootAsync() factory');
  });
});
