/** A bad flag or value given to the CLI (or its environment variable): exit code 2, message names the flag. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}
