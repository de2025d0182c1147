import type { ConfigService } from '@nestjs/config';
import type { PaymntModuleOptions } from '@paymnt/nestjs';
import type { ShopEnvironment } from './shop-environment';

/** `PaymntModule.forRootAsync`'s factory: the module's options from the validated environment. */
export function paymntOptionsFactory(config: ConfigService<ShopEnvironment, true>): PaymntModuleOptions {
  return {
    apiKey: config.get('PAYMNT_API_KEY', { infer: true }),
    publishableKey: config.get('PAYMNT_PUBLISHABLE_KEY', { infer: true }),
    baseUrl: config.get('PAYMNT_BASE_URL', { infer: true }),
    environment: config.get('PAYMNT_ENVIRONMENT', { infer: true }),
    profileId: config.get('PAYMNT_PROFILE_ID', { infer: true }),
    appInfo: { name: 'paymnt-sample-shop', version: '0.1.0' },
    webhook: { secret: config.get('PAYMNT_WEBHOOK_SECRET', { infer: true }) },
  };
}
