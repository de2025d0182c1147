import { Controller, Get, Module, Param, Post, type Type } from '@nestjs/common';
import { ConfigModule, ConfigService, registerAs } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { PaymentsService, PaymntExceptionFilter, PaymntModule, type PaymntModuleOptions } from '@paymnt/nestjs';
import { EventRecorder, PaymntHandlers } from './recorder';

export type ModuleStyle = 'forRoot' | 'forRootAsync';
export const STYLES: ModuleStyle[] = ['forRoot', 'forRootAsync'];

/** A shop route that lets PaymntExceptionFilter answer for the client's errors. */
@Controller('shop')
export class ShopController {
  constructor(private readonly payments: PaymentsService) {}

  @Get('payments/:id')
  getPayment(@Param('id') id: string): Promise<unknown> {
    return this.payments.retrieve(id);
  }

  @Post('payments/:id/capture')
  capture(@Param('id') id: string): Promise<unknown> {
    return this.payments.capture(id);
  }
}

/**
 * The module configured statically, or from ConfigService (`registerAs('paymnt', ...)`) the way
 * an app reads its environment, with the built-in webhook route at `webhookPath`.
 */
export function paymntImport(style: ModuleStyle, options: PaymntModuleOptions, webhookPath: string) {
  if (style === 'forRoot') {
    return PaymntModule.forRoot({ ...options, webhook: options.webhook && { ...options.webhook, path: webhookPath } });
  }
  const paymntConfig = registerAs('paymnt', (): PaymntModuleOptions => ({ ...options }));
  return PaymntModule.forRootAsync({
    imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [paymntConfig] })],
    inject: [ConfigService],
    useFactory: (config: ConfigService) => config.getOrThrow<PaymntModuleOptions>('paymnt'),
    webhookPath,
  });
}

export function flowAppModule(style: ModuleStyle, options: PaymntModuleOptions, webhookPath: string): Type<unknown> {
  @Module({
    imports: [EventEmitterModule.forRoot({ wildcard: true }), paymntImport(style, options, webhookPath)],
    controllers: [ShopController],
    providers: [EventRecorder, PaymntHandlers, { provide: APP_FILTER, useClass: PaymntExceptionFilter }],
  })
  class FlowAppModule {}
  return FlowAppModule;
}
