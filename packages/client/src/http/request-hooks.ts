import type { PaymntClientEventMap, PaymntClientListener } from './request-events';

type Listeners = { [K in keyof PaymntClientEventMap]: PaymntClientListener<K>[] };

/**
 * The client's observability listeners. The sender checks `has*` before building an event, so a
 * client without listeners pays nothing. A listener that throws is ignored: logging must never
 * fail a payment call.
 */
export class RequestHooks {
  readonly #listeners: Listeners = { request: [], response: [] };

  on<K extends keyof PaymntClientEventMap>(event: K, listener: PaymntClientListener<K>): void {
    const list = this.#list(event);
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    list.push(listener);
  }

  off<K extends keyof PaymntClientEventMap>(event: K, listener: PaymntClientListener<K>): void {
    const list = this.#list(event);
    const index = list.lastIndexOf(listener);
    if (index !== -1) list.splice(index, 1);
  }

  has(event: keyof PaymntClientEventMap): boolean {
    return this.#listeners[event].length > 0;
  }

  emit<K extends keyof PaymntClientEventMap>(event: K, payload: PaymntClientEventMap[K]): void {
    // A copy, so a listener may remove itself while being called.
    for (const listener of [...this.#listeners[event]] as PaymntClientListener<K>[]) {
      try {
        listener(payload);
      } catch {
        // Deliberately ignored: see the class comment.
      }
    }
  }

  #list<K extends keyof PaymntClientEventMap>(event: K): PaymntClientListener<K>[] {
    if (event !== 'request' && event !== 'response') throw new TypeError(`Unknown PaymntClient event "${String(event)}"`);
    return this.#listeners[event] as PaymntClientListener<K>[];
  }
}
