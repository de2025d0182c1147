import { type CanActivate, Controller, type ExecutionContext, Get, Injectable, Module, SetMetadata, type Type } from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { type PaymntModuleOptions, PaymntModule } from '@paymnt/nestjs';
import { buildWebhookEvent, sendSignedWebhook } from '@paymnt/nestjs/testing';
import { ADAPTERS, startApp } from './support/apps';
import { paymentFixture, WEBHOOK_SECRET } from './support/fixtures';
import { EventRecorder, PaymntHandlers } from './support/recorder';

// Nothing here calls the API: the client points at a closed port.
const OPTIONS: PaymntModuleOptions = { apiKey: 'snd_test_key', baseUrl: 'http://127.0.0.1:9', maxRetries: 0 };
const PATH = 'webhooks/paymnt';

/** An app's "public route" marker, as in Nest's authentication recipe. */
const IS_PUBLIC = 'test:is_public';
const Public = (): ClassDecorator & MethodDecorator => SetMetadata(IS_PUBLIC, true);

/** A global guard that refuses (403) every route not marked @Public(). */
@Injectable()
class RejectUnlessPublicGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    return this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]) === true;
  }
}

@Controller('account')
class AccountController {
  @Get()
  get(): { ok: true } {
    return { ok: true };
  }
}

type Registration = 'forRoot' | 'forRootAsync';

function paymntModule(registration: Registration, decorators: ClassDecorator[] | undefined) {
  if (registration === 'forRoot') {
    return PaymntModule.forRoot({ ...OPTIONS, webhook: { secret: WEBHOOK_SECRET, path: PATH, decorators } });
  }
  return PaymntModule.forRootAsync({
    webhookPath: PATH,
    webhookDecorators: decorators,
    useFactory: () => ({ ...OPTIONS, webhook: { secret: WEBHOOK_SECRET } }),
  });
}

function guardedAppModule(registration: Registration, decorators: ClassDecorator[] | undefined): Type<unknown> {
  @Module({
    imports: [EventEmitterModule.forRoot({ wildcard: true }), paymntModule(registration, decorators)],
    controllers: [AccountController],
    providers: [EventRecorder, PaymntHandlers, { provide: APP_GUARD, useClass: RejectUnlessPublicGuard }],
  })
  class GuardedAppModule {}
  return GuardedAppModule;
}

describe.each(ADAPTERS)('the built-in webhook route under a global APP_GUARD, on %s', (adapter) => {
  describe.each<Registration>(['forRoot', 'forRootAsync'])('%s', (registration) => {
    it('is refused (403) without decorators, and reached with decorators: [Public()]', async () => {
      for (const [decorators, expected] of [
        [undefined, 403],
        [[Public()], 200],
      ] as const) {
        const { app, url } = await startApp(guardedAppModule(registration, decorators ? [...decorators] : undefined), adapter);
        try {
          const recorder = app.get(EventRecorder);
          const payment = paymentFixture();
          const response = await sendSignedWebhook(`${url}/${PATH}`, buildWebhookEvent('payment_succeeded', payment), WEBHOOK_SECRET);
          expect({ decorators: decorators?.length ?? 0, status: response.status }).toEqual({ decorators: decorators?.length ?? 0, status: expected });
          expect(recorder.count({ handler: 'typed', objectId: payment.payment_id })).toBe(expected === 200 ? 1 : 0);
          if (expected === 200) expect(response.body).toEqual({ received: true, outcome: 'dispatched' });
          // The app's own routes stay guarded: the decorators reach the webhook controller only.
          expect((await fetch(`${url}/account`)).status).toBe(403);
        } finally {
          await app.close();
        }
      }
    });
  });
});
