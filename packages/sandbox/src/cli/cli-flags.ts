/**
 * The CLI's flags, each with its environment variable twin. One table feeds the parser and the
 * `--help` text, so the two cannot drift apart.
 */
export interface CliFlag {
  /** Long name, without the dashes. */
  name: string;
  short?: string;
  /** Read when the flag is absent. */
  env: string;
  /** Placeholder shown in `--help`; none for on/off flags. */
  value?: string;
  /** May be given several times. */
  multiple?: boolean;
  default: string;
  description: string;
}

export const CLI_FLAGS: readonly CliFlag[] = [
  { name: 'port', short: 'p', env: 'PORT', value: '<n>', default: '8080', description: 'port to listen on; 0 picks a free one' },
  { name: 'host', env: 'HOST', value: '<host>', default: '127.0.0.1', description: 'interface to listen on; 0.0.0.0 inside a container' },
  { name: 'api-key', env: 'PAYMNT_SANDBOX_API_KEY', value: '<key>', default: 'generated snd_…', description: "the merchant's secret key (api-key header)" },
  { name: 'publishable-key', env: 'PAYMNT_SANDBOX_PUBLISHABLE_KEY', value: '<key>', default: 'generated pk_snd_…', description: 'the client-side key' },
  { name: 'merchant-id', env: 'PAYMNT_SANDBOX_MERCHANT_ID', value: '<id>', default: 'generated merchant_…', description: "the merchant's id" },
  { name: 'profile-id', env: 'PAYMNT_SANDBOX_PROFILE_ID', value: '<id>', default: 'generated pro_…', description: "the merchant's default profile" },
  { name: 'webhook-url', env: 'PAYMNT_SANDBOX_WEBHOOK_URL', value: '<url>', default: 'none', description: 'http(s) URL the webhooks go to' },
  { name: 'webhook-secret', env: 'PAYMNT_SANDBOX_WEBHOOK_SECRET', value: '<secret>', default: 'random 64 chars', description: "the profile's payment_response_hash_key (signs webhooks and 3DS redirects)" },
  { name: 'no-webhooks', env: 'PAYMNT_SANDBOX_NO_WEBHOOKS', default: 'off', description: 'record webhook events but send none' },
  { name: 'retry-time-scale', env: 'PAYMNT_SANDBOX_RETRY_TIME_SCALE', value: '<x>', default: '1', description: "multiplies the webhook retry schedule (0.001: 1 min becomes 60 ms)" },
  { name: 'webhook-timeout-ms', env: 'PAYMNT_SANDBOX_WEBHOOK_TIMEOUT_MS', value: '<ms>', default: '30000', description: 'timeout of one webhook delivery attempt' },
  { name: 'return-url', env: 'PAYMNT_SANDBOX_RETURN_URL', value: '<url>', default: 'none', description: "the profile's 3DS return URL, for payments without one" },
  { name: 'public-url', env: 'PAYMNT_SANDBOX_PUBLIC_URL', value: '<url>', default: 'the listening URL', description: 'base URL of the 3DS links, when the sandbox is reached by another name' },
  { name: 'manual-retry', env: 'PAYMNT_SANDBOX_MANUAL_RETRY', default: 'off', description: 'a failed payment may be confirmed again (a new attempt)' },
  { name: 'max-body-bytes', env: 'PAYMNT_SANDBOX_MAX_BODY_BYTES', value: '<n>', default: '1048576', description: 'largest accepted request body (larger: 413)' },
  { name: 'connector-latency-ms', env: 'PAYMNT_SANDBOX_CONNECTOR_LATENCY_MS', value: '<ms>', default: '0', description: 'simulated processor latency inside each payment operation' },
  { name: 'fault', env: 'PAYMNT_SANDBOX_FAULTS', value: '<rule>', multiple: true, default: 'none', description: 'a fault rule, repeatable: JSON, or "route=POST /payments,status=503,times=1"' },
  { name: 'log', env: 'PAYMNT_SANDBOX_LOG', default: 'off', description: 'one line per request and per webhook attempt' },
];
