import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef, ModulesContainer } from '@nestjs/core';
import { EventEmitter2, EventEmitterReadinessWatcher } from '@nestjs/event-emitter';
import { PAYMNT_BASE_URLS } from '@paymnt/client';
import { PaymntConfigurationError } from '../errors/paymnt-configuration.error';
import type { ResolvedPaymntOptions } from '../options/paymnt-module-options.interface';
import { PAYMNT_OPTIONS, PAYMNT_WEBHOOK_PATH } from '../paymnt.constants';
import { PaymntWebhookGuard } from '../webhook/paymnt-webhook.guard';
import { probeJsonBodyParser } from './http-body-parser.probe';
import { checkKeyEnvironment, keyKindOf } from './key-environment';
import { PaymntDiagnosticsMessages } from './paymnt-diagnostics.messages';

const PROBE_BODY = '{"paymnt":"probe"}';
const PROBE_OBJECT = { paymnt: 'probe' };
/** HTTP adapters and emitters checked already: an app with several instances (`name`) logs each finding once. */
const CHECKED = new WeakSet<object>();

/** Whether `target` is checked for the first time (and marks it checked). */
function firstCheckOf(target: object): boolean {
  if (CHECKED.has(target)) return false;
  CHECKED.add(target);
  return true;
}

const RAW_BODY_OPT_OUT = '(Startup stops here: selfCheck: { rawBody: false } starts anyway.)';
const PROTOTYPE_KEYS_BODY = '{"__proto__":{"paymnt":"probe"},"constructor":{"prototype":{"paymnt":"probe"}}}';

/**
 * The self-check (`selfCheck`, each check on by default): finds, at startup, the misconfigurations
 * that otherwise show only when payments or webhooks fail. What would lose money or events stops
 * startup with its fix (`PaymntConfigurationError`): an API key of the wrong kind for the API
 * (`keyEnvironment`), an API key given as the webhook secret (`webhookSecret`), a JSON parser that
 * does not keep the raw body when the app receives webhooks (`rawBody`). The rest is logged once:
 * a key or URL it cannot classify, `'*'` listeners on an emitter without wildcards
 * (`wildcardListeners`), an HTTP server without a request timeout, a parser that refuses
 * `__proto__` keys before verification. What it cannot determine, it does not report; no message
 * holds a key or a secret.
 */
@Injectable()
export class PaymntStartupChecks implements OnModuleInit, OnApplicationBootstrap {
  protected readonly logger = new Logger('PaymntModule');

  constructor(
    @Inject(PAYMNT_WEBHOOK_PATH) protected readonly webhookPath: string | null,
    protected readonly moduleRef: ModuleRef,
    protected readonly modules: ModulesContainer,
    protected readonly adapterHost: HttpAdapterHost,
    @Inject(PAYMNT_OPTIONS) protected readonly options: ResolvedPaymntOptions,
  ) {}

  /** What needs no HTTP server: checked before anything connects or listens. */
  onModuleInit(): void {
    if (this.options.selfCheck.keyEnvironment) this.checkKeyEnvironment();
    if (this.options.selfCheck.webhookSecret) this.checkWebhookSecret();
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.selfCheck.wildcardListeners) this.checkWildcardListeners();
    const httpAdapter = this.adapterHost.httpAdapter as unknown;
    if (httpAdapter === undefined || httpAdapter === null || !this.receivesWebhooks() || !firstCheckOf(httpAdapter)) return;
    this.checkRequestTimeout(httpAdapter);
    await this.checkBodyParser(httpAdapter);
  }

  /** A publishable key, or a sandbox key against production (or the reverse): every call would be refused. */
  protected checkKeyEnvironment(): void {
    const { apiKey, baseUrl, environment } = this.options.client;
    const finding = checkKeyEnvironment(apiKey, baseUrl ?? PAYMNT_BASE_URLS[environment ?? 'sandbox'] ?? PAYMNT_BASE_URLS.sandbox);
    if (finding?.level === 'fail') throw new PaymntConfigurationError('apiKey', finding.message, `PaymntModule self-check: ${finding.message}`);
    if (finding?.level === 'warn') this.logger.warn(`PaymntModule self-check: ${finding.message} (selfCheck: { keyEnvironment: false } silences this.)`);
  }

  /** An API key given as the webhook secret verifies nothing: every webhook would be refused (401), then lost. */
  protected checkWebhookSecret(): void {
    const secrets = this.options.webhook?.secrets ?? [];
    if (!secrets.some((secret) => secret === this.options.client.apiKey || keyKindOf(secret) !== 'unknown')) return;
    const rule =
      "is an API key (snd_…, prd_…, pk_…), not the profile's webhook key: every webhook would be refused with 401. " +
      'Use the business profile\'s payment_response_hash_key (PAYMNT_WEBHOOK_SECRET)';
    throw new PaymntConfigurationError('webhook.secret', rule, `PaymntModule self-check: webhook.secret ${rule}.`);
  }

  /** A built-in route, or a `PaymntWebhookGuard` on one of the app's routes. */
  protected receivesWebhooks(): boolean {
    if (this.webhookPath !== null) return true;
    for (const module of this.modules.values()) {
      for (const wrapper of module.injectables.values()) {
        if (wrapper.instance instanceof PaymntWebhookGuard) return true;
      }
    }
    return false;
  }

  protected async checkBodyParser(httpAdapter: unknown): Promise<void> {
    const probe = await probeJsonBodyParser(httpAdapter, PROBE_BODY, PROBE_OBJECT);
    if (probe !== undefined && probe.parsed && !probe.rawBody && this.options.selfCheck.rawBody) {
      // Every webhook would be answered 500 until the API gives up on it: events lost.
      throw new PaymntConfigurationError('rawBody', PaymntDiagnosticsMessages.RAW_BODY_NOT_KEPT, `${PaymntDiagnosticsMessages.RAW_BODY_NOT_KEPT} ${RAW_BODY_OPT_OUT}`);
    }
    const poisoned = await probeJsonBodyParser(httpAdapter, PROTOTYPE_KEYS_BODY, undefined);
    if (poisoned?.refused === true && probe?.parsed === true) this.logger.warn(PaymntDiagnosticsMessages.PROTOTYPE_KEYS_REFUSED);
  }

  protected checkRequestTimeout(httpAdapter: unknown): void {
    const server = (httpAdapter as { getHttpServer?: () => { requestTimeout?: unknown } | undefined }).getHttpServer?.();
    if (server?.requestTimeout === 0) this.logger.warn(PaymntDiagnosticsMessages.NO_REQUEST_TIMEOUT);
  }

  /** Listeners are registered during bootstrap: checked once `@nestjs/event-emitter` says they all are. */
  protected checkWildcardListeners(): void {
    const emitter = this.find(EventEmitter2);
    if (emitter === undefined || (emitter as { wildcard?: boolean }).wildcard === true || !firstCheckOf(emitter)) return;
    const check = (): void => {
      const names = emitter.eventNames().filter((name): name is string => typeof name === 'string' && name.includes('*'));
      if (names.length > 0) this.logger.warn(PaymntDiagnosticsMessages.wildcardListenersNeverRun(names));
    };
    const watcher = this.find(EventEmitterReadinessWatcher);
    if (watcher === undefined) {
      check();
    } else {
      watcher.waitUntilReady().then(check, () => undefined);
    }
  }

  private find<T>(token: abstract new (...args: never[]) => T): T | undefined {
    try {
      return this.moduleRef.get(token as never, { strict: false }) ?? undefined;
    } catch {
      return undefined;
    }
  }
}
