import type { Sandbox } from '../sandbox';
import type { SandboxOptions } from '../sandbox-options';

/**
 * The start banner: everything needed to point an app at the sandbox. This is a local development
 * tool, so printing the generated secret is intended.
 */
export function sandboxBanner(sb: Sandbox, options: SandboxOptions): string[] {
  const profile = sb.merchants[0]?.profiles[0];
  const webhookUrl = profile?.webhookUrl ?? '(none: set --webhook-url or PAYMNT_SANDBOX_WEBHOOK_URL)';
  const delivery = options.webhooksEnabled === false ? ' (delivery off: --no-webhooks)' : '';
  const lines = [
    `Paymnt sandbox listening on ${sb.url}`,
    `  api-key            ${sb.apiKey}`,
    `  publishable key    ${sb.publishableKey}`,
    `  merchant id        ${sb.merchantId}`,
    `  profile id         ${sb.profileId}`,
    `  webhook secret     ${sb.webhookSecret}`,
    `  webhook url        ${webhookUrl}${delivery}`,
    `  retry time scale   ${options.webhookRetryTimeScale ?? 1}`,
  ];
  if (options.publicUrl) lines.push(`  public url         ${options.publicUrl}`);
  for (const rule of sb.faults.list()) lines.push(`  fault              ${JSON.stringify(rule)}`);
  lines.push(`  test cards         4242424242424242 succeeds, 4000000000000002 declines, 4000003800000446 asks for 3DS`);
  return lines;
}
