import { Controller, Injectable, Module, Post, SetMetadata, UseGuards } from '@nestjs/common';
import { ConfigModule, ConfigService, registerAs } from '@nestjs/config';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { type PaymntClient, PaymntConnectionError } from '@paymnt/client';
import {
  MemoryEventStore,
  PAYMNT_CLIENT,
  PAYMNT_EVENT_STORE,
  PAYMNT_OPTIONS,
  PaymentsService,
  PaymntConfigurationError,
  PaymntModule,
  type PaymntModuleOptions,
  type PaymntModuleOptionsFactory,
  PaymntIntakeWebhookProcessor,
  PaymntWebhookGuard,
  PaymntWebhookProcessor,
  type ResolvedPaymntOptions,
} from '@paymnt/nestjs';
import { ADAPTERS, startApp } from './support/apps';

const SECRET = 'whsec_never_in_a_message';
const API_KEY = 'snd_never_in_a_message';

async function bootstrapError(imports: unknown[], controllers: unknown[] = []): Promise<Error> {
  @Module({ imports: imports as never[], controllers: controllers as never[] })
  class AppModule {}
  try {
    const { app } = await startApp(AppModule, 'express');
    await app.close();
  } catch (error) {
    return error as Error;
  }
  throw new Error('the app started');
}

function expectNamed(error: Error, option: string): void {
  expect(error).toBeInstanceOf(PaymntConfigurationError);
  expect((error as PaymntConfigurationError).option).toBe(option);
  expect(error.message).toContain(`"${option}"`);
  expect(error.message).not.toContain(SECRET);
  expect(error.message).not.toContain(API_KEY);
}

class CustomProcessor extends PaymntWebhookProcessor {}
const decorator = SetMetadata('test:public', true);

function asyncModule(config: Record<string, unknown>, extras: { webhookPath?: string } = {}) {
  return PaymntModule.forRootAsync({
    imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [registerAs('paymnt', () => config)] })],
    inject: [ConfigService],
    useFactory: (configService: ConfigService) => configService.getOrThrow('paymnt'),
    ...extras,
  });
}

describe('bootstrap: options are validated once and name the bad option', () => {
  it.each([
    ['forRoot without apiKey', () => PaymntModule.forRoot({ webhook: { secret: SECRET } } as never), 'apiKey'],
    ['forRootAsync without apiKey (unset env)', () => asyncModule({ apiKey: undefined, webhook: { secret: SECRET } }), 'apiKey'],
    ['a bad baseUrl (checked by the client)', () => PaymntModule.forRoot({ apiKey: API_KEY, baseUrl: 'ftp://x' }), 'baseUrl'],
    ['a bad environment', () => asyncModule({ apiKey: API_KEY, environment: 'staging' }), 'environment'],
    ['a misspelt option', () => PaymntModule.forRoot({ apiKey: API_KEY, timeout: 5 } as never), 'timeout'],
    ['a bad timeoutMs', () => asyncModule({ apiKey: API_KEY, timeoutMs: -1 }), 'timeoutMs'],
    ['an empty webhook secret', () => PaymntModule.forRoot({ apiKey: API_KEY, webhook: { secret: '' } }), 'webhook.secret'],
    ['a webhook route without a secret', () => asyncModule({ apiKey: API_KEY }, { webhookPath: 'hooks' }), 'webhook.secret'],
    [
      'webhook.path from the async factory (routes exist before it runs)',
      () => asyncModule({ apiKey: API_KEY, webhook: { secret: SECRET, path: 'hooks' } }),
      'webhook.path',
    ],
    [
      'webhook.decorators from the async factory (the controller exists before it runs)',
      () => asyncModule({ apiKey: API_KEY, webhook: { secret: SECRET, decorators: [decorator] } }, { webhookPath: 'hooks' }),
      'webhook.decorators',
    ],
    [
      'webhook.processor from the async factory (providers exist before it runs)',
      () => asyncModule({ apiKey: API_KEY, webhook: { secret: SECRET, processor: CustomProcessor } }),
      'webhook.processor',
    ],
  ])('%s', async (_name, paymntModule, option) => {
    const error = await bootstrapError([EventEmitterModule.forRoot(), paymntModule()]);
    expectNamed(error, option);
  });

  it.each([
    ['two different webhook paths', () => PaymntModule.forRoot({ apiKey: API_KEY, webhookPath: 'a', webhook: { secret: SECRET, path: 'b' } }), 'webhookPath'],
    ['decorators without a built-in route', () => PaymntModule.forRoot({ apiKey: API_KEY, webhook: { secret: SECRET, decorators: [decorator] } }), 'webhook.decorators'],
    ['decorators that are not functions', () => PaymntModule.forRootAsync({ webhookPath: 'hooks', webhookDecorators: ['Public'] as never, useFactory: () => ({ apiKey: API_KEY }) }), 'webhookDecorators'],
    ['two different decorator lists', () => PaymntModule.forRoot({ apiKey: API_KEY, webhookDecorators: [decorator], webhook: { secret: SECRET, path: 'hooks', decorators: [decorator] } }), 'webhookDecorators'],
    ['a processor that is not a PaymntWebhookProcessor', () => PaymntModule.forRoot({ apiKey: API_KEY, webhook: { secret: SECRET, processor: class Other {} as never } }), 'webhook.processor'],
    ['a processor instance instead of a class', () => PaymntModule.forRootAsync({ webhookProcessor: {} as never, useFactory: () => ({ apiKey: API_KEY }) }), 'webhookProcessor'],
    ['PaymntIntakeWebhookProcessor as the processor', () => PaymntModule.forRoot({ apiKey: API_KEY, webhook: { secret: SECRET, processor: PaymntIntakeWebhookProcessor } }), 'webhook.processor'],
  ])('refuses at module creation: %s', (_name, create, option) => {
    let error: Error | undefined;
    try {
      create();
    } catch (caught) {
      error = caught as Error;
    }
    expectNamed(error!, option);
  });

  it('fails without an EventEmitter2 and says how to add one', async () => {
    const error = await bootstrapError([PaymntModule.forRoot({ apiKey: API_KEY })]);
    expect(error).toBeInstanceOf(PaymntConfigurationError);
    expect((error as PaymntConfigurationError).option).toBe('EventEmitter2');
    expect(error.message).toContain('EventEmitterModule.forRoot()');
    expect(error.message).toContain('wildcard: true');
  });

  it('fails when PaymntWebhookGuard is used without webhook options', async () => {
    @Controller()
    class HookController {
      @Post('hooks')
      @UseGuards(PaymntWebhookGuard)
      handle(): void {}
    }
    const error = await bootstrapError(
      [EventEmitterModule.forRoot(), PaymntModule.forRoot({ apiKey: API_KEY, isGlobal: true })],
      [HookController],
    );
    expectNamed(error, 'webhook.secret');
  });

  it.each(ADAPTERS)('starts with valid options on %s, with an emitter that is not global', async (adapter) => {
    @Module({ imports: [EventEmitterModule.forRoot({ global: false }), PaymntModule.forRoot({ apiKey: API_KEY })] })
    class AppModule {}
    const { app } = await startApp(AppModule, adapter);
    await app.close();
  });

  it('forRootAsync takes useClass and useExisting factories', async () => {
    @Injectable()
    class PaymntConfig implements PaymntModuleOptionsFactory {
      createPaymntOptions(): PaymntModuleOptions {
        return { apiKey: API_KEY, timeoutMs: 1234, webhook: { secret: SECRET } };
      }
    }
    @Module({ providers: [PaymntConfig], exports: [PaymntConfig] })
    class PaymntConfigModule {}

    for (const paymntModule of [
      PaymntModule.forRootAsync({ useClass: PaymntConfig }),
      PaymntModule.forRootAsync({ imports: [PaymntConfigModule], useExisting: PaymntConfig }),
    ]) {
      @Module({ imports: [EventEmitterModule.forRoot(), paymntModule] })
      class AppModule {}
      const { app } = await startApp(AppModule, 'express');
      const resolved = app.get<ResolvedPaymntOptions>(PAYMNT_OPTIONS);
      expect(resolved.client.timeoutMs).toBe(1234);
      expect(resolved.webhook?.secrets).toEqual([SECRET]);
      await app.close();
    }
  });

  it('takes an event store without webhooks (top-level store, leaseMs), as an app publishing service events only', async () => {
    const store = new MemoryEventStore();
    @Module({ imports: [EventEmitterModule.forRoot(), PaymntModule.forRoot({ apiKey: API_KEY, store, leaseMs: 5_000 })] })
    class AppModule {}
    const { app } = await startApp(AppModule, 'express');
    expect(app.get(PAYMNT_EVENT_STORE)).toBe(store);
    expect(app.get<ResolvedPaymntOptions>(PAYMNT_OPTIONS)).toMatchObject({ webhook: undefined, leaseMs: 5_000 });
    await app.close();
  });

  it('isGlobal makes the services injectable in modules that do not import it', async () => {
    @Injectable()
    class Checkout {
      constructor(readonly payments: PaymentsService) {}
    }
    @Module({ providers: [Checkout] })
    class CheckoutModule {}
    @Module({ imports: [EventEmitterModule.forRoot(), PaymntModule.forRoot({ apiKey: API_KEY, isGlobal: true }), CheckoutModule] })
    class AppModule {}
    const { app } = await startApp(AppModule, 'express');
    expect(app.get(Checkout).payments).toBe(app.get(PaymentsService));
    await app.close();
  });

  it('closes the client when the app closes', async () => {
    @Module({ imports: [EventEmitterModule.forRoot(), PaymntModule.forRoot({ apiKey: API_KEY, baseUrl: 'http://127.0.0.1:9' })] })
    class AppModule {}
    const { app } = await startApp(AppModule, 'fastify');
    const client = app.get<PaymntClient>(PAYMNT_CLIENT);
    await app.close();
    const error = await client.payments.retrieve('pay_1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PaymntConnectionError);
    expect((error as PaymntConnectionError).code).toBe('client_closed');
  });
});
