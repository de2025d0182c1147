import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef, ModulesContainer } from '@nestjs/core';
import { EventEmitter2, EventEmitterReadinessWatcher } from '@nestjs/event-emitter';
import { PAYMNT_WEBHOOK_PATH } from '../paymnt.constants';
import { PaymntWebhookGuard } from '../webhook/paymnt-webhook.guard';
import { probeJsonBodyParser } from './http-body-parser.probe';
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

const PROTOTYPE_KEYS_BODY = '{"__proto__":{"paymnt":"probe"},"constructor":{"prototype":{"paymnt":"probe"}}}';

/**
 * Finds, at bootstrap, the misconfigurations that otherwise show only when webhooks fail, and
 * logs each with its fix: a JSON parser that does not keep the raw body, an HTTP server without a
 * request timeout, a parser that refuses `__proto__` keys before verification (when the app
 * receives webhooks: a built-in route or `PaymntWebhookGuard`), and `'*'` listeners on an emitter
 * without wildcards. What it cannot determine, it does not report.
 */
@Injectable()
export class PaymntStartupChecks implements OnApplicationBootstrap {
  protected readonly logger = new Logger('PaymntModule');

  constructor(
    @Inject(PAYMNT_WEBHOOK_PATH) protected readonly webhookPath: string | null,
    protected readonly moduleRef: ModuleRef,
    protected readonly modules: ModulesContainer,
    protected readonly adapterHost: HttpAdapterHost,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.checkWildcardListeners();
    const httpAdapter = this.adapterHost.httpAdapter as unknown;
    if (httpAdapter === undefined || httpAdapter === null || !this.receivesWebhooks() || !firstCheckOf(httpAdapter)) return;
    this.checkRequestTimeout(httpAdapter);
    await this.checkBodyParser(httpAdapter);
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
    if (probe !== undefined && probe.parsed && !probe.rawBody) this.logger.error(PaymntDiagnosticsMessages.RAW_BODY_NOT_KEPT);
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
