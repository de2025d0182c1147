import { ConfigurableModuleBuilder, type Type } from '@nestjs/common';
import type { PaymntModuleOptions } from './options/paymnt-module-options.interface';
import type { PaymntWebhookProcessor } from './webhook/paymnt-webhook.processor';

/** Extras of `forRoot` / `forRootAsync`: they shape the module itself, so they cannot come from a factory. */
export interface PaymntModuleExtras {
  /**
   * Names this instance, for an app with several accounts or profiles: its client, options, event
   * store and services are injected with `@InjectPaymntClient(name)`, `@InjectPaymntService(PaymentsService, name)`...,
   * its domain events carry `instance: name`, and its event-store keys are its own. Letters,
   * digits, `_` and `-`. Given to `forRoot()` / `forRootAsync()` (never by the factory): the
   * injection tokens exist before the factory runs.
   * @default 'default' (the unnamed instance, injected without a name)
   */
  name?: string;
  /**
   * Register the module globally (its providers injectable everywhere without importing it).
   * @default false
   */
  isGlobal?: boolean;
  /**
   * Path of the built-in webhook controller. Required to get the built-in route with
   * `forRootAsync` (routes exist before the factory runs); with `forRoot`, `webhook.path` works too.
   * @default undefined (no built-in route)
   */
  webhookPath?: string;
  /**
   * Class decorators applied to the built-in webhook controller when it is created, as if written
   * above its class: e.g. `[Public()]` for a global auth guard, `[SkipThrottle()]` for
   * `@nestjs/throttler`. The only way to give them with `forRootAsync`; with `forRoot`,
   * `webhook.decorators` works too. Needs a built-in route (`webhookPath` or `webhook.path`).
   * @default [] (none)
   */
  webhookDecorators?: ClassDecorator[];
  /**
   * A subclass of `PaymntWebhookProcessor` that verifies webhooks (e.g. reads the signature from
   * another header). The module provides it under the `PaymntWebhookProcessor` token, so the
   * built-in route, `PaymntWebhookGuard` and durable intake all use it. The only way to give it
   * with `forRootAsync`; with `forRoot`, `webhook.processor` works too.
   * @default PaymntWebhookProcessor
   */
  webhookProcessor?: Type<PaymntWebhookProcessor>;
}

export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<PaymntModuleOptions>({ moduleName: 'Paymnt' })
    .setClassMethodName('forRoot')
    .setFactoryMethodName('createPaymntOptions')
    .setExtras<PaymntModuleExtras>(
      { isGlobal: false, name: undefined, webhookPath: undefined, webhookDecorators: undefined, webhookProcessor: undefined },
      (definition, extras) => ({ ...definition, global: extras.isGlobal }),
    )
    .build();
