import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { PaymntModule } from '@paymnt/nestjs';
import { OrderEventsListener } from './order-events.listener';
import { OrdersController } from './orders.controller';
import { OwnWebhookController } from './own-webhook.controller';

/** A shop as a user writes it: config from the environment, the module from forRootAsync. */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true }),
    EventEmitterModule.forRoot({ wildcard: true }),
    PaymntModule.forRootAsync({
      isGlobal: true,
      webhookPath: 'webhooks/paymnt',
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        apiKey: config.getOrThrow<string>('PAYMNT_API_KEY'),
        baseUrl: config.getOrThrow<string>('PAYMNT_BASE_URL'),
        profileId: config.get<string>('PAYMNT_PROFILE_ID'),
        webhook: { secret: config.getOrThrow<string>('PAYMNT_WEBHOOK_SECRET') },
      }),
    }),
  ],
  controllers: [OrdersController, OwnWebhookController],
  providers: [OrderEventsListener],
})
export class AppModule {}
