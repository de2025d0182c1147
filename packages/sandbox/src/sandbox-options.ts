import type { FaultRule } from './faults/fault-types';
import {
  newApiKey,
  newMerchantConnectorId,
  newMerchantId,
  newProfileId,
  newPublishableKey,
  newWebhookSecret,
} from './ids';

/** A business profile of a merchant (HS: `business_profile`). */
export interface SandboxProfileOptions {
  /** `pro_…`; generated when omitted. */
  profileId?: string;
  /** Where this profile's webhooks go; none when omitted or null. */
  webhookUrl?: string | null;
  /** The profile's `payment_response_hash_key` (webhook and redirect signing); random 64 chars when omitted. */
  webhookSecret?: string;
  /** Used for 3DS when the payment has no `return_url`. */
  returnUrl?: string;
  /** HS's profile flag that allows confirming a `failed` payment again (a new attempt). Default false. */
  manualRetryEnabled?: boolean;
}

export interface SandboxMerchantOptions {
  /** `merchant_…`; generated when omitted. */
  merchantId?: string;
  /** The merchant's secret key (`api-key` header). */
  apiKey: string;
  /** `pk_snd_<uuid>`; generated when omitted. */
  publishableKey?: string;
  /** The first profile is the merchant's default. One is generated when omitted. */
  profiles?: SandboxProfileOptions[];
}

export interface SandboxOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The default merchant's secret key; `snd_…` generated when omitted. */
  apiKey?: string;
  merchantId?: string;
  /** The default merchant's default profile. */
  profileId?: string;
  webhookUrl?: string | null;
  webhookSecret?: string;
  publishableKey?: string;
  /** Default profile's return URL for 3DS when a payment has none. */
  returnUrl?: string;
  /** Default profile's manual retry flag. */
  manualRetryEnabled?: boolean;
  /** Extra merchants, each with its own key and profiles (isolated from each other). */
  merchants?: SandboxMerchantOptions[];
  /** Multiplies HS's webhook retry schedule: 1 = real (first retry after 1 min), 0.001 = 1 min becomes 60 ms. */
  webhookRetryTimeScale?: number;
  /** Timeout of one webhook delivery attempt, default 30000 ms (HS's). */
  webhookTimeoutMs?: number;
  /** Deliver webhooks at all (default true). Events are recorded either way. */
  webhooksEnabled?: boolean;
  /** Fault rules active from the start (see README: fault injection). */
  faults?: FaultRule[];
  /** Largest accepted request body, default 1 MiB (larger: 413). */
  maxBodyBytes?: number;
  /** Simulated processor latency inside each payment operation (ms), default 0. */
  connectorLatencyMs?: number;
  /** How long after a dispute-card (4000000000000259) payment captures money its dispute opens (ms), default 50. */
  disputeDelayMs?: number;
  /** Base URL used in links the sandbox hands out (3DS redirect). Defaults to the listening URL. */
  publicUrl?: string;
  /** Receives one line per request and per webhook attempt. Silent by default. Never given secrets. */
  logger?: (line: string) => void;
}

export interface ProfileConfig {
  profileId: string;
  merchantId: string;
  webhookUrl: string | null;
  webhookSecret: string;
  returnUrl: string | null;
  manualRetryEnabled: boolean;
  merchantConnectorId: string;
}

export interface MerchantConfig {
  merchantId: string;
  apiKey: string;
  publishableKey: string;
  profiles: ProfileConfig[];
}

export interface ResolvedOptions {
  port: number;
  host: string;
  merchants: MerchantConfig[];
  webhookRetryTimeScale: number;
  webhookTimeoutMs: number;
  webhooksEnabled: boolean;
  faults: FaultRule[];
  maxBodyBytes: number;
  connectorLatencyMs: number;
  disputeDelayMs: number;
  publicUrl: string | undefined;
  logger: ((line: string) => void) | undefined;
}

function resolveProfile(merchantId: string, p: SandboxProfileOptions): ProfileConfig {
  return {
    profileId: p.profileId ?? newProfileId(),
    merchantId,
    webhookUrl: p.webhookUrl ?? null,
    webhookSecret: p.webhookSecret ?? newWebhookSecret(),
    returnUrl: p.returnUrl ?? null,
    manualRetryEnabled: p.manualRetryEnabled ?? false,
    merchantConnectorId: newMerchantConnectorId(),
  };
}

function resolveMerchant(m: SandboxMerchantOptions): MerchantConfig {
  const merchantId = m.merchantId ?? newMerchantId();
  const profiles = (m.profiles && m.profiles.length > 0 ? m.profiles : [{}]).map((p) => resolveProfile(merchantId, p));
  return { merchantId, apiKey: m.apiKey, publishableKey: m.publishableKey ?? newPublishableKey(), profiles };
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`createSandbox: ${name} must be a finite number >= 0`);
  }
  return value;
}

export function resolveOptions(options: SandboxOptions = {}): ResolvedOptions {
  const main = resolveMerchant({
    merchantId: options.merchantId,
    apiKey: options.apiKey ?? newApiKey(),
    publishableKey: options.publishableKey,
    profiles: [
      {
        profileId: options.profileId,
        webhookUrl: options.webhookUrl,
        webhookSecret: options.webhookSecret,
        returnUrl: options.returnUrl,
        manualRetryEnabled: options.manualRetryEnabled,
      },
    ],
  });
  const merchants = [main, ...(options.merchants ?? []).map(resolveMerchant)];

  const keys = new Set<string>();
  const merchantIds = new Set<string>();
  const profileIds = new Set<string>();
  for (const m of merchants) {
    if (!m.apiKey) throw new TypeError('createSandbox: every merchant needs an apiKey');
    for (const key of [m.apiKey, m.publishableKey]) {
      if (keys.has(key)) throw new TypeError('createSandbox: api keys must be unique across merchants');
      keys.add(key);
    }
    if (merchantIds.has(m.merchantId)) throw new TypeError(`createSandbox: duplicate merchantId ${m.merchantId}`);
    merchantIds.add(m.merchantId);
    for (const p of m.profiles) {
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(p.profileId)) throw new TypeError(`createSandbox: invalid profileId ${p.profileId}`);
      if (profileIds.has(p.profileId)) throw new TypeError(`createSandbox: duplicate profileId ${p.profileId}`);
      profileIds.add(p.profileId);
    }
  }

  return {
    port: nonNegative('port', options.port, 0),
    host: options.host ?? '127.0.0.1',
    merchants,
    webhookRetryTimeScale: nonNegative('webhookRetryTimeScale', options.webhookRetryTimeScale, 1),
    webhookTimeoutMs: nonNegative('webhookTimeoutMs', options.webhookTimeoutMs, 30_000),
    webhooksEnabled: options.webhooksEnabled ?? true,
    faults: options.faults ?? [],
    maxBodyBytes: nonNegative('maxBodyBytes', options.maxBodyBytes, 1024 * 1024),
    connectorLatencyMs: nonNegative('connectorLatencyMs', options.connectorLatencyMs, 0),
    disputeDelayMs: nonNegative('disputeDelayMs', options.disputeDelayMs, 50),
    publicUrl: options.publicUrl?.replace(/\/+$/, ''),
    logger: options.logger,
  };
}
