import { plainToInstance } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUrl, Matches, MinLength, validateSync } from 'class-validator';

const HTTP_URL = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

/**
 * The shop's settings, read from the environment (or `.env`) by `ConfigModule` and validated once
 * at startup. Error messages name the variable, never its value.
 */
export class ShopEnvironment {
  /** Secret API key (`snd_…`) of your Paymnt profile. */
  @IsString()
  @IsNotEmpty()
  PAYMNT_API_KEY!: string;

  /** The API's base URL, e.g. `https://sandbox.paymnt.cloud` or a local sandbox. Overrides `PAYMNT_ENVIRONMENT`. */
  @IsOptional()
  @IsUrl(HTTP_URL)
  PAYMNT_BASE_URL?: string;

  /** `sandbox` (default) or `production`, when `PAYMNT_BASE_URL` is not set. */
  @IsOptional()
  @IsIn(['sandbox', 'production'])
  PAYMNT_ENVIRONMENT?: 'sandbox' | 'production';

  /**
   * Publishable key (`pk_snd_…`) of the same profile: the checkout page confirms payments with it in
   * the browser, so card numbers never reach the shop's server. Without it, `POST /orders/:id/checkout`
   * answers 503.
   */
  @IsOptional()
  @Matches(/^pk_[A-Za-z0-9_-]+$/, { message: '$property must be a publishable key such as pk_snd_… (never the secret API key)' })
  PAYMNT_PUBLISHABLE_KEY?: string;

  /** `pro_…`, when the key's merchant has several profiles. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: '$property must be a profile id such as pro_…' })
  PAYMNT_PROFILE_ID?: string;

  /** The profile's payment response hash key: verifies webhooks and 3DS return redirects. */
  @IsString()
  @IsNotEmpty()
  PAYMNT_WEBHOOK_SECRET!: string;

  /**
   * The bearer token of the shop's admin actions (ship, cancel, refund, sync, list every order).
   * At least 32 characters: `openssl rand -base64 32`.
   */
  @IsString()
  @MinLength(32, { message: '$property must be at least 32 characters (e.g. openssl rand -base64 32)' })
  SHOP_ADMIN_TOKEN!: string;

  /** The shop's public base URL, for 3DS `return_url`s. Taken from each request's Host when unset. */
  @IsOptional()
  @IsUrl(HTTP_URL)
  SHOP_PUBLIC_URL?: string;
}

const KEYS = [
  'PAYMNT_API_KEY',
  'PAYMNT_PUBLISHABLE_KEY',
  'PAYMNT_BASE_URL',
  'PAYMNT_ENVIRONMENT',
  'PAYMNT_PROFILE_ID',
  'PAYMNT_WEBHOOK_SECRET',
  'SHOP_ADMIN_TOKEN',
  'SHOP_PUBLIC_URL',
] as const;

/** Settings as plain strings, e.g. `process.env` or what the demo passes in. */
export type ShopSettings = Partial<Record<(typeof KEYS)[number], string>>;

/** `ConfigModule`'s `validate`: keeps the shop's variables (empty ones count as unset) and checks them. */
export function validateShopEnvironment(raw: Record<string, unknown>): ShopEnvironment {
  const picked: Record<string, unknown> = {};
  for (const key of KEYS) {
    if (raw[key] !== undefined && raw[key] !== '') picked[key] = raw[key];
  }
  const environment = plainToInstance(ShopEnvironment, picked);
  const errors = validateSync(environment);
  if (errors.length > 0) {
    const lines = errors.map((error) => `  - ${error.property}: ${Object.values(error.constraints ?? {}).join('; ')}`);
    throw new Error(`Invalid shop configuration (see apps/sample-shop/README.md):\n${lines.join('\n')}`);
  }
  return environment;
}
