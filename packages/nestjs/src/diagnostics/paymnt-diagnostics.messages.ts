import { WEBHOOK_SIGNATURE_HEADER } from '@paymnt/client';

/** Why a webhook was refused with 401 (the `code` of the answer). */
export type PaymntWebhookRefusalReason = 'missing_header' | 'malformed_header' | 'no_match' | 'timestamp_outside_tolerance' | (string & {});

const REFUSAL_CAUSES: Record<string, string> = {
  missing_header: `it has no ${WEBHOOK_SIGNATURE_HEADER} header (not sent by Paymnt, or a proxy removes the header)`,
  malformed_header: `its ${WEBHOOK_SIGNATURE_HEADER} header is not a 128-character hex HMAC-SHA512`,
  no_match:
    'its signature matches none of the configured secrets: check that webhook.secret is the profile\'s webhook key ' +
    '(payment_response_hash_key), and that nothing (a proxy, a middleware) changes the body before Nest',
  timestamp_outside_tolerance:
    'the event is older than webhook.toleranceSeconds: a replay, or a tolerance shorter than the API\'s redelivery window (about 24 h)',
};

/**
 * What the module logs about its configuration and the webhooks it refuses, kept together (the
 * README's troubleshooting quotes them). None contains a secret or a signature.
 */
export const PaymntDiagnosticsMessages = {
  /** Warning logged for 401 refusals, at most once a minute per reason. */
  webhookRefused(reason: PaymntWebhookRefusalReason, suppressed: number): string {
    const cause = REFUSAL_CAUSES[reason] ?? 'its signature could not be verified';
    const since = suppressed > 0 ? ` ${suppressed} more refused for this reason since the last warning.` : '';
    return `Paymnt webhook refused with 401 ${reason}: ${cause}.${since} (Logged at most once a minute per reason.)`;
  },
  RAW_BODY_NOT_KEPT:
    'PaymntModule: the app\'s JSON body parser does not keep the raw body, so every webhook will be answered ' +
    '500 raw_body_missing (signatures are checked on the exact bytes). Create the app with ' +
    'NestFactory.create(AppModule, { rawBody: true }) (Express and Fastify alike) and keep the built-in JSON body parser.',
  wildcardListenersNeverRun(names: readonly string[]): string {
    return (
      `PaymntModule: listeners on ${names.map((name) => `'${name}'`).join(', ')} will never run: the EventEmitter2 ` +
      "was created without wildcard: true, so '*' is an ordinary character. Use EventEmitterModule.forRoot({ wildcard: true })."
    );
  },
  NO_REQUEST_TIMEOUT:
    'PaymntModule: the HTTP server has no request timeout (requestTimeout is 0, Fastify\'s default), so a client that ' +
    'sends its request slowly (slow loris) holds a connection for ever, on the webhook route as on any other. ' +
    'On Fastify: new FastifyAdapter({ connectionTimeout: 60_000, requestTimeout: 30_000, http: { headersTimeout: 30_000 } }) ' +
    '(Node applies the larger of requestTimeout and headersTimeout, 60 s by default); on Express, set both on app.getHttpServer().',
  PROTOTYPE_KEYS_REFUSED:
    'PaymntModule: the app\'s JSON body parser refuses bodies with a "__proto__" or "constructor.prototype" key ' +
    '(Fastify\'s default onProtoPoisoning / onConstructorPoisoning: \'error\') before any signature is checked: a genuine ' +
    'Paymnt event carrying such a key (in metadata, say) would be answered 400 and redelivered until the API gives up. ' +
    'Create the adapter with new FastifyAdapter({ onProtoPoisoning: \'remove\', onConstructorPoisoning: \'remove\' }): ' +
    'such keys are then dropped from every parsed body, and webhooks are verified on their raw bytes and parsed without them.',
} as const;
