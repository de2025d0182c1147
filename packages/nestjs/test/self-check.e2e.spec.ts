import { type INestApplication, Module, type Type } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { PaymntConfigurationError, PaymntModule, type PaymntModuleOptions } from '@paymnt/nestjs';
import { ADAPTERS, startApp } from './support/apps';
import { WEBHOOK_SECRET } from './support/fixtures';
import { CapturingLogger } from './support/logger';

// Nothing here calls the API: the checks run at startup, before any call.
const KEY_BODY = 'k3y_b0dy_never_printed';
const SANDBOX_KEY = `snd_${KEY_BODY}`;
const PRODUCTION_KEY = `prd_${KEY_BODY}`;

function appModule(options: PaymntModuleOptions): Type<unknown> {
  @Module({ imports: [EventEmitterModule.forRoot({ wildcard: true }), PaymntModule.forRoot(options)] })
  class SelfCheckModule {}
  return SelfCheckModule;
}

interface Startup {
  error?: Error;
  logger: CapturingLogger;
  app?: INestApplication;
}

describe.each(ADAPTERS)('the self-check at startup on %s', (adapter) => {
  const apps: INestApplication[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  async function start(options: PaymntModuleOptions): Promise<Startup> {
    const logger = new CapturingLogger();
    try {
      const { app } = await startApp(appModule(options), adapter, { logger });
      apps.push(app);
      return { logger, app };
    } catch (error) {
      return { error: error as Error, logger };
    }
  }

  /** Startup failed with a `PaymntConfigurationError` on `option`, whose message says `fix`, and nothing printed the key. */
  function expectRefused(startup: Startup, option: string, fix: string): void {
    expect(startup.error).toBeInstanceOf(PaymntConfigurationError);
    expect((startup.error as PaymntConfigurationError).option).toBe(option);
    expect(startup.error!.message).toContain(fix);
    expect(startup.error!.message).not.toContain(KEY_BODY);
    expect(startup.logger.text()).not.toContain(KEY_BODY);
  }

  it('refuses a sandbox key against the production API', async () => {
    expectRefused(await start({ apiKey: SANDBOX_KEY, environment: 'production' }), 'apiKey', 'sandbox key (snd_… / dev_…) sent to the production API (api.paymnt.cloud)');
  });

  it('refuses a production key against the sandbox (Paymnt\'s or a local emulator)', async () => {
    expectRefused(await start({ apiKey: PRODUCTION_KEY, environment: 'sandbox' }), 'apiKey', 'production key (prd_…) sent to a sandbox API');
    expectRefused(await start({ apiKey: PRODUCTION_KEY, baseUrl: 'http://127.0.0.1:9' }), 'apiKey', 'production key (prd_…)');
  });

  it('refuses a publishable key on the server', async () => {
    expectRefused(await start({ apiKey: `pk_snd_${KEY_BODY}`, baseUrl: 'http://127.0.0.1:9' }), 'apiKey', 'hand the publishable key to the page only');
  });

  it('refuses an API key given as the webhook secret', async () => {
    const startup = await start({ apiKey: SANDBOX_KEY, baseUrl: 'http://127.0.0.1:9', webhook: { secret: [WEBHOOK_SECRET, SANDBOX_KEY] } });
    expectRefused(startup, 'webhook.secret', 'payment_response_hash_key');
  });

  it('starts, silent, with matching keys and a webhook key', async () => {
    for (const options of [
      { apiKey: SANDBOX_KEY, environment: 'sandbox' as const, webhook: { secret: WEBHOOK_SECRET } },
      { apiKey: SANDBOX_KEY, baseUrl: 'http://127.0.0.1:9' },
      { apiKey: PRODUCTION_KEY, environment: 'production' as const },
    ]) {
      const startup = await start(options);
      expect(startup.error).toBeUndefined();
      expect(startup.logger.find('self-check')).toEqual([]);
    }
  });

  it('warns once, without failing, when it cannot tell (unknown key prefix, unknown host)', async () => {
    const unknownKey = await start({ apiKey: KEY_BODY, environment: 'sandbox' });
    expect(unknownKey.error).toBeUndefined();
    expect(unknownKey.logger.find('self-check', 'warn')).toHaveLength(1);
    expect(unknownKey.logger.find('none of the known prefixes', 'warn')).toHaveLength(1);
    expect(unknownKey.logger.text()).not.toContain(KEY_BODY);

    const proxy = await start({ apiKey: PRODUCTION_KEY, baseUrl: 'https://payments-proxy.example.com' });
    expect(proxy.error).toBeUndefined();
    expect(proxy.logger.find('payments-proxy.example.com', 'warn')).toHaveLength(1);
  });

  it('each check can be turned off, or all with selfCheck: false', async () => {
    expect((await start({ apiKey: SANDBOX_KEY, environment: 'production', selfCheck: { keyEnvironment: false } })).error).toBeUndefined();
    expect((await start({ apiKey: SANDBOX_KEY, baseUrl: 'http://127.0.0.1:9', webhook: { secret: SANDBOX_KEY }, selfCheck: { webhookSecret: false } })).error).toBeUndefined();
    const allOff = await start({ apiKey: KEY_BODY, environment: 'production', webhook: { secret: KEY_BODY }, selfCheck: false });
    expect(allOff.error).toBeUndefined();
    expect(allOff.logger.find('self-check')).toEqual([]);
  });

  it('refuses a misspelt check with the option named', async () => {
    const startup = await start({ apiKey: SANDBOX_KEY, selfCheck: { rawbody: false } as never });
    expect(startup.error).toBeInstanceOf(PaymntConfigurationError);
    expect(startup.error!.message).toContain('selfCheck.rawbody');
  });
});
