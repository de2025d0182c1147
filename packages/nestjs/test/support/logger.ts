import type { LoggerService } from '@nestjs/common';

export interface LoggedLine {
  level: 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
  message: string;
  context?: string;
}

/** A Nest LoggerService that keeps every line, so a test can assert on what the app logged. */
export class CapturingLogger implements LoggerService {
  readonly lines: LoggedLine[] = [];

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

  /** Lines of `level` (all levels by default) whose message contains `text`. */
  find(text: string, level?: LoggedLine['level']): LoggedLine[] {
    return this.lines.filter((line) => (level === undefined || line.level === level) && line.message.includes(text));
  }

  /** Every line as text, for searching for secrets. */
  text(): string {
    return this.lines.map((line) => `${line.level} ${line.context ?? ''} ${line.message}`).join('\n');
  }

  private keep(level: LoggedLine['level'], message: unknown, rest: unknown[]): void {
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const extra = rest.filter((value) => value !== context && value !== undefined).map(String);
    this.lines.push({ level, message: [typeof message === 'string' ? message : JSON.stringify(message), ...extra].join('\n'), context });
  }
}
