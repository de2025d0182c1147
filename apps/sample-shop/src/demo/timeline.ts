import type { LoggerService } from '@nestjs/common';

/** Who did what: the demo's steps, its HTTP calls, and what the shop logged. */
export type Lane = 'step' | 'customer' | 'shop' | 'api' | 'webhook' | 'event' | 'sandbox' | 'note' | 'warn' | 'error';

export interface TimelineEntry {
  at: number;
  lane: Lane;
  text: string;
}

/** The shop's log contexts shown on the timeline. Nest's own start-up logs are left out. */
const CONTEXT_LANES: Readonly<Record<string, Lane>> = { PaymntApi: 'api', Webhooks: 'webhook', OrderEvents: 'event', SavedCards: 'event', Subscriptions: 'event' };

const COLORS: Readonly<Record<Lane, string>> = {
  step: '1;36',
  customer: '35',
  shop: '34',
  api: '33',
  webhook: '32',
  event: '36',
  sandbox: '90',
  note: '90',
  warn: '1;33',
  error: '1;31',
};

/**
 * The demo's timeline. It is also the shop's Nest logger (`createShopApp({ logger: timeline })`),
 * so the API calls, webhooks and event handlers the shop logs appear in order with the demo's
 * own requests. Only messages are printed; none of them carries a key or a secret.
 */
export class Timeline implements LoggerService {
  readonly entries: TimelineEntry[] = [];
  private readonly started = performance.now();
  private readonly color = process.stdout.isTTY === true && process.env.NO_COLOR === undefined;

  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

  add(lane: Lane, text: string): void {
    const at = performance.now() - this.started;
    this.entries.push({ at, lane, text });
    const time = `${(at / 1000).toFixed(2)}s`.padStart(7);
    if (lane === 'step') {
      this.write('');
      this.write(this.paint(lane, `${time}  ── ${text} ──`));
      return;
    }
    this.write(`${time}  ${this.paint(lane, lane.padEnd(8))} ${text}`);
  }

  /** Prints a line outside the timeline (headers, the ledger). */
  print(text = ''): void {
    this.write(text);
  }

  /** Timeline entries of `lane` whose text contains every fragment. */
  find(lane: Lane, ...fragments: string[]): TimelineEntry[] {
    return this.entries.filter((e) => e.lane === lane && fragments.every((f) => e.text.includes(f)));
  }

  log(message: unknown, ...params: unknown[]): void {
    const lane = CONTEXT_LANES[this.contextOf(params)];
    if (lane !== undefined) this.add(lane, String(message));
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.add('warn', `[${this.contextOf(params)}] ${String(message)}`);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.add('error', `[${this.contextOf(params)}] ${String(message)}`);
  }

  debug(): void {}

  verbose(): void {}

  private contextOf(params: unknown[]): string {
    const last = params[params.length - 1];
    return typeof last === 'string' ? last : '';
  }

  private paint(lane: Lane, text: string): string {
    return this.color ? `\x1b[${COLORS[lane]}m${text}\x1b[0m` : text;
  }
}
