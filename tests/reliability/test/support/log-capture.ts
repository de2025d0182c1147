import type { LoggerService } from '@nestjs/common';

/** A Nest logger that keeps every line (all levels), so a test can search them. */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];

  log(message: unknown, ...rest: unknown[]): void {
    this.keep('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.keep('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.keep('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.keep('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.keep('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.keep('fatal', message, rest);
  }

  private keep(level: string, message: unknown, rest: unknown[]): void {
    this.lines.push([level, ...[message, ...rest].map(stringify)].join(' '));
  }
}

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return `${value.name}: ${value.message}\n${value.stack ?? ''}`;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/**
 * Copies everything written to process.stdout / process.stderr while installed (still written
 * through), e.g. what a library prints with console.* or a raw write.
 */
export class StdioCapture {
  readonly chunks: string[] = [];
  private restore: Array<() => void> = [];

  install(): void {
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write;
      const chunks = this.chunks;
      stream.write = function write(this: NodeJS.WriteStream, chunk: unknown, ...args: unknown[]): boolean {
        chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
        return (original as (...a: unknown[]) => boolean).call(this, chunk, ...args);
      } as typeof stream.write;
      this.restore.push(() => {
        stream.write = original;
      });
    }
  }

  uninstall(): void {
    for (const undo of this.restore.splice(0)) undo();
  }

  text(): string {
    return this.chunks.join('');
  }
}

/** A secret to search for, under a label that can be printed. */
export interface SecretNeedle {
  label: string;
  value: string;
}

/** The secrets, and recognisable slices of them, that must never appear in a log line or an answer. */
export function secretNeedles(secrets: Record<string, string>): SecretNeedle[] {
  const needles: SecretNeedle[] = [];
  for (const [label, secret] of Object.entries(secrets)) {
    needles.push({ label, value: secret });
    // A truncated or partially redacted leak still gives most of the key away.
    if (secret.length >= 32) {
      needles.push({ label: `${label} (first 16 chars)`, value: secret.slice(0, 16) });
      needles.push({ label: `${label} (last 16 chars)`, value: secret.slice(-16) });
    }
  }
  return needles;
}

/** Labels of the needles found in `haystack` (the secrets themselves are never printed). */
export function leakedIn(haystack: string, needles: readonly SecretNeedle[]): string[] {
  return needles.filter((n) => haystack.includes(n.value)).map((n) => n.label);
}
