import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { PaymntExceptionFilter, PaymntModule } from '@paymnt/nestjs';
import { AuthModule } from './auth/auth.module';
import { CheckoutModule } from './checkout/checkout.module';
import { paymntOptionsFactory } from './config/paymnt-options.factory';
import { type ShopSettings, validateShopEnvironment } from './config/shop-environment';
import { HealthModule } from './health/health.module';
import { OrdersModule } from './orders/orders.module';
import { PaymntRequestLogger } from './paymnt-request.logger';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';
import { ShopValidationPipe } from './validation/shop-validation.pipe';
import { WebhooksModule } from './webhooks/webhooks.module';

/**
 * The shop. `AppModule.forRoot()` reads the environment (and `.env`); tests, the demo and
 * `npm start` pass the embedded sandbox's settings instead, so that several shops can run in one
 * process without touching `process.env`.
 */
@Module({})
export class AppModule {
  static forRoot(settings?: ShopSettings): DynamicModule {
    return {
      module: AppModule,
      imports: [
        settings === undefined
          ? ConfigModule.forRoot({ isGlobal: true, cache: true, validate: validateShopEnvironment })
          : ConfigModule.forRoot({
              isGlobal: true,
              ignoreEnvFile: true,
              skipProcessEnv: true,
              validatePredefined: false,
              load: [() => ({ ...validateShopEnvironment(settings) })],
            }),
        // The app owns the emitter; `@paymnt/nestjs` publishes its domain events on it.
        EventEmitterModule.forRoot({ wildcard: true }),
        PaymntModule.forRootAsync({ isGlobal: true, inject: [ConfigService], useFactory: paymntOptionsFactory }),
        OrdersModule,
        // Every route declares who may call it (@Access); ShopAuthGuard checks it, failing closed.
        AuthModule,
        CheckoutModule,
        WebhooksModule,
        SubscriptionsModule,
        HealthModule,
      ],
      providers: [
        // Every body is validated (after a depth check); unknown fields are refused, so a typo is a 400 rather than ignored.
        { provide: APP_PIPE, useClass: ShopValidationPipe },
        // Paymnt's refusals (a capture above what is authorized, an unknown payment...) become clear 4xx.
        { provide: APP_FILTER, useClass: PaymntExceptionFilter },
        PaymntRequestLogger,
      ],
    };
  }
}
