import { signWebhookPayload, WEBHOOK_SIGNATURE_HEADER, type WebhookEvent } from '@paymnt/client';

/** Options of `sendSignedWebhook`. */
export interface SendSignedWebhookOptions {
  /** Extra headers, or overrides (e.g. `{ 'content-type': 'text/plain' }`). */
  headers?: Record<string, string>;
  /** Send this signature instead of the right one (to test refusals). */
  signature?: string;
}

/** What the app under test answered. */
export interface SignedWebhookResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when the answer is JSON, the text otherwise. */
  body: any;
}

/**
 * POSTs a webhook to an app under test exactly as the API does: the body's bytes signed with
 * HMAC-SHA512 (`x-webhook-signature-512`, by the client's `signWebhookPayload`), sent as JSON.
 * `event` may be an object (serialized once) or the exact body string.
 */
export async function sendSignedWebhook(
  url: string,
  event: WebhookEvent | Record<string, unknown> | string,
  secret: string,
  options: SendSignedWebhookOptions = {},
): Promise<SignedWebhookResponse> {
  const body = typeof event === 'string' ? event : JSON.stringify(event);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Hyperswitch-Backend-Server',
      [WEBHOOK_SIGNATURE_HEADER]: options.signature ?? signWebhookPayload(body, secret),
      ...options.headers,
    },
    body,
  });
  const text = await response.text();
  let parsed: unknown = text;
  if ((response.headers.get('content-type') ?? '').includes('json') && text !== '') parsed = JSON.parse(text);
  return { status: response.status, headers: response.headers, body: parsed };
}
