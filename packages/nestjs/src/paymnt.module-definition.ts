import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { PaymntModuleOptions } from './options/paymnt-module-options.interface';

/** Extras of `forRoot` / `forRootAsync`: they shape the module itself, so they cannot come from a factory. */
export interface PaymntModuleExtras {
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
}

export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<PaymntModuleOptions>({ moduleName: 'Paymnt' })
    .setClassMethodName('forRoot')
    .setFactoryMethodName('createPaymntOptions')
    .setExtras<PaymntModuleExtras>({ isGlobal: false, webhookPath: undefined }, (definition, extras) => ({
      ...definition,
      global: extras.isGlobal,
    }))
    .build();
