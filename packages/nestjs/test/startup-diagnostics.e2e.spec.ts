import { Controller, Injectable, type INestApplication, Module, Post, type Type, UseGuards } from '@nestjs/common';
import { EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import { signWebhookPayload } from '@paymnt/client';
import { PaymntConfigurationError, PaymntDiagnosticsMessages, PaymntModule, type PaymntModuleOptions, PaymntWebhookGuard } from '@paymnt/nestjs';
import { buildWebhookEvent, sendSignedWebhook } from '@paymnt/nestjs/testing';
import { ADAPTERS, startApp } from './support/apps';
import { paymentFixture, WEBHOOK_SECRET } from './support/fixtures';
import { CapturingLogger } from './support/logger';
import { EventRecorder, PaymntHandlers } from './support/recorder';
import { webhookAppModule } from './support/webhook-app';

const API_KEY = 'snd_diagnostics_key_never_logged';
// Nothing here calls the API: the client points at a closed port.
const OPTIONS: PaymntModuleOptions = { apiKey: API_KEY, baseUrl: 'http://127.0.0.1:9', maxRetries: 0 };
const PATH = 'webhooks/paymnt';
const WRONG_SECRET = 'whsec_wrong_secret_never_logged';

async function started(module: Type<unknown>, adapter: 'express' | 'fastify', rawBody = true): Promise<{ app: INestApplication; url: string; logger: CapturingLogger }> {
  const logger = new CapturingLogger();
  const { app, url } = await startApp(module, adapter, { logger, rawBody });
  return { app, url, logger };
}

describe.each(ADAPTERS)('refused webhooks are logged, rate-limited, on %s', (adapter) => {
  let app: INestApplication;
  let url: string;
  let logger: CapturingLogger;

  beforeAll(async () => {
    ({ app, url, logger } = await started(webhookAppModule({ ...OPTIONS, webhook: { secret: WEBHOOK_SECRET, toleranceSeconds: 600 } }, PATH), adapter));
  });

  afterAll(async () => {
    await app.close();
  });

  it('a wrong secret: one warning naming the reason (never the secret or the signature), then silence for a minute', async () => {
    const signatures: string[] = [];
    for (let i = 0; i < 5; i++) {
      const body = JSON.stringify(buildWebhookEvent('payment_succeeded', paymentFixture()));
      signatures.push(signWebhookPayload(body, WRONG_SECRET));
      expect((await sendSignedWebhook(`${url}/${PATH}`, body, WRONG_SECRET)).status).toBe(401);
    }
    const warnings = logger.find('401 no_match', 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toBe(PaymntDiagnosticsMessages.webhookRefused('no_match', 0));
    expect(warnings[0].message).toContain('webhook.secret');
    expect(warnings[0].context).toBe('PaymntWebhook');
    for (const secret of [WEBHOOK_SECRET, WRONG_SECRET, API_KEY, ...signatures]) expect(logger.text()).not.toContain(secret);
  });

  it('each reason has its own warning: missing header, malformed header, too old', async () => {
    const event = buildWebhookEvent('payment_succeeded', paymentFixture());
    await sendSignedWebhook(`${url}/${PATH}`, event, WEBHOOK_SECRET, { signature: '' });
    await sendSignedWebhook(`${url}/webhooks/own`, event, WEBHOOK_SECRET, { signature: '' });
    await sendSignedWebhook(`${url}/${PATH}`, event, WEBHOOK_SECRET, { signature: 'sha512=abc' });
    const old = buildWebhookEvent('payment_succeeded', paymentFixture(), { timestamp: new Date(Date.now() - 3_600_000).toISOString() });
    expect((await sendSignedWebhook(`${url}/${PATH}`, old, WEBHOOK_SECRET)).body.code).toBe('timestamp_outside_tolerance');
    expect(logger.find('401 missing_header', 'warn')).toHaveLength(1);
    expect(logger.find('401 malformed_header', 'warn')).toHaveLength(1);
    expect(logger.find('401 timestamp_outside_tolerance', 'warn')[0].message).toContain('webhook.toleranceSeconds');
    expect(logger.text()).not.toContain(WEBHOOK_SECRET);
  });
});

@Controller()
class GuardedOnlyController {
  @Post('hooks')
  @UseGuards(PaymntWebhookGuard)
  handle(): void {}
}

describe.each(ADAPTERS)('startup checks on %s', (adapter) => {
  /** Startup fails with the fix (the self-check's rawBody check). */
  async function refusedToStart(module: Type<unknown>): Promise<Error> {
    const error = await started(module, adapter, false).then(
      async ({ app }) => {
        await app.close();
        throw new Error('the app started');
      },
      (failure: unknown) => failure as Error,
    );
    expect(error).toBeInstanceOf(PaymntConfigurationError);
    expect(error.message).toContain(PaymntDiagnosticsMessages.RAW_BODY_NOT_KEPT);
    expect(error.message).toContain('selfCheck: { rawBody: false }');
    return error;
  }

  it('an app without { rawBody: true } does not start: the error names the fix, before any webhook arrives', async () => {
    const error = await refusedToStart(webhookAppModule({ ...OPTIONS, webhook: { secret: WEBHOOK_SECRET } }, PATH));
    expect(error.message).toContain('NestFactory.create(AppModule, { rawBody: true })');
  });

  it('also when the only webhook route is guarded by PaymntWebhookGuard', async () => {
    @Module({
      imports: [EventEmitterModule.forRoot(), PaymntModule.forRoot({ ...OPTIONS, webhook: { secret: WEBHOOK_SECRET } })],
      controllers: [GuardedOnlyController],
    })
    class GuardOnlyModule {}
    await refusedToStart(GuardOnlyModule);
  });

  it('also for an app with several instances (named ones next to the default)', async () => {
    @Module({
      imports: [
        EventEmitterModule.forRoot(),
        PaymntModule.forRoot({ ...OPTIONS, webhook: { secret: WEBHOOK_SECRET, path: PATH } }),
        PaymntModule.forRoot({ ...OPTIONS, name: 'eu', webhook: { secret: WEBHOOK_SECRET, path: `${PATH}-eu` } }),
      ],
    })
    class TwoInstancesModule {}
    await refusedToStart(TwoInstancesModule);
  });

  it('starts, saying nothing, with selfCheck: { rawBody: false } (webhooks are then answered 500 raw_body_missing)', async () => {
    const options = { ...OPTIONS, selfCheck: { rawBody: false }, webhook: { secret: WEBHOOK_SECRET } };
    const { app, logger } = await started(webhookAppModule(options, PATH), adapter, false);
    await app.close();
    expect(logger.find('PaymntModule', 'error')).toEqual([]);
  });

  it('says nothing with { rawBody: true }, nor when the app receives no webhooks', async () => {
    const withRawBody = await started(webhookAppModule({ ...OPTIONS, webhook: { secret: WEBHOOK_SECRET } }, PATH), adapter, true);
    await withRawBody.app.close();
    @Module({ imports: [EventEmitterModule.forRoot(), PaymntModule.forRoot(OPTIONS)] })
    class NoWebhooksModule {}
    const noWebhooks = await started(NoWebhooksModule, adapter, false);
    await noWebhooks.app.close();
    for (const { logger } of [withRawBody, noWebhooks]) {
      expect(logger.find('PaymntModule', 'error')).toEqual([]);
      expect(logger.find('PaymntModule', 'warn')).toEqual([]);
    }
  });
});

@Injectable()
class WildcardListener {
  @OnEvent('paymnt.*')
  any(): void {}

  @OnEvent('paymnt.payment_succeeded')
  paid(): void {}
}

describe("'*' listeners on an emitter without wildcards", () => {
  function appModule(wildcard: boolean): Type<unknown> {
    @Module({ imports: [EventEmitterModule.forRoot({ wildcard }), PaymntModule.forRoot(OPTIONS)], providers: [WildcardListener] })
    class ListenerModule {}
    return ListenerModule;
  }

  it("warns at startup, naming the listener and the fix, and is silent with wildcard: true", async () => {
    const off = await started(appModule(false), 'express');
    await off.app.close();
    expect(off.logger.find('', 'warn').map((line) => line.message)).toEqual([PaymntDiagnosticsMessages.wildcardListenersNeverRun(['paymnt.*'])]);
    expect(off.logger.find("'paymnt.*'", 'warn')[0].message).toContain('EventEmitterModule.forRoot({ wildcard: true })');

    const on = await started(appModule(true), 'express');
    await on.app.close();
    expect(on.logger.find('', 'warn')).toEqual([]);
  });

  it('is silent with selfCheck: { wildcardListeners: false }', async () => {
    @Module({
      imports: [EventEmitterModule.forRoot({ wildcard: false }), PaymntModule.forRoot({ ...OPTIONS, selfCheck: { wildcardListeners: false } })],
      providers: [WildcardListener],
    })
    class SilencedModule {}
    const { app, logger } = await started(SilencedModule, 'express');
    await app.close();
    expect(logger.find('', 'warn')).toEqual([]);
  });

  it('the warning tells the truth: without wildcard: true the listener never runs', async () => {
    @Injectable()
    class Counting {
      calls = 0;
      @OnEvent('paymnt.*')
      any(): void {
        this.calls++;
      }
    }
    @Module({
      imports: [EventEmitterModule.forRoot(), PaymntModule.forRoot({ ...OPTIONS, webhook: { secret: WEBHOOK_SECRET, path: PATH } })],
      providers: [Counting, EventRecorder, PaymntHandlers],
    })
    class CountingModule {}
    const { app, url } = await started(CountingModule, 'express');
    try {
      const response = await sendSignedWebhook(`${url}/${PATH}`, buildWebhookEvent('payment_succeeded', paymentFixture()), WEBHOOK_SECRET);
      expect(response.status).toBe(200);
      expect(app.get(Counting).calls).toBe(0);
    } finally {
      await app.close();
    }
  });
});
