export { createSandbox } from './sandbox';
export type {
  Sandbox,
  SandboxState,
  SandboxMerchantInfo,
  SandboxProfileInfo,
  SandboxWebhookEvent,
  SandboxDeliveryAttempt,
} from './sandbox';
export type { SandboxOptions, SandboxMerchantOptions, SandboxProfileOptions } from './sandbox-options';
export type { FaultController } from './faults/fault-injector';
export type { FaultRule, FaultSpec, FaultWhen, FaultKind, FaultStats } from './faults/fault-types';
export type { SandboxCounters } from './state/counters';
export type { DeliveryAttemptKind, WebhookResponseRecord } from './webhooks/webhook-dispatcher';
export { SUCCESS_CARDS, THREE_DS_CARD, DECLINE_CARDS } from './cards/test-cards';
export { RETRY_DELAYS_SECONDS, MAX_AUTOMATIC_RETRIES } from './webhooks/retry-schedule';
export { runSandboxCli, startSandboxServer } from './cli/cli';
export { sandboxOptionsFromArgs, parseSandboxCliArgs } from './cli/cli-options';
export type { SandboxCliArgs, SandboxCliEnv } from './cli/cli-options';
export { CliUsageError } from './cli/cli-usage-error';
