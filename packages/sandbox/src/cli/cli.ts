/**
 * The sandbox as a command: parse flags and environment, start, print the banner, and stop on
 * SIGINT/SIGTERM. `bin.ts` (the `paymnt-sandbox` bin) and `apps/sandbox` both run `runSandboxCli`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSandbox, type Sandbox } from '../sandbox';
import type { SandboxOptions } from '../sandbox-options';
import { sandboxBanner } from './cli-banner';
import { sandboxCliHelp } from './cli-help';
import { parseSandboxCliArgs, type SandboxCliArgs, type SandboxCliEnv } from './cli-options';
import { CliUsageError } from './cli-usage-error';

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

function packageVersion(): string {
  // Two levels up from both src/cli and dist/cli; npm always ships package.json.
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Starts a sandbox with `options` and prints its banner through `log`. Stop it with `sandbox.close()`. */
export async function startSandboxServer(options: SandboxOptions, log: (line: string) => void = console.log): Promise<Sandbox> {
  const sandbox = await createSandbox(options);
  for (const line of sandboxBanner(sandbox, options)) log(line);
  log('Ctrl-C stops it.');
  return sandbox;
}

/** Resolves with the exit code: 0 once the first signal has closed the sandbox, 1 on a second signal. */
function stopOnSignal(sandbox: Sandbox, log: (line: string) => void, logError: (line: string) => void): Promise<number> {
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const stopped = new Promise<number>((resolve) => {
    let stopping = false;
    onSignal = (signal) => {
      // A second Ctrl-C means "now": do not wait for close() any longer.
      if (stopping) return resolve(1);
      stopping = true;
      log(`\n${signal} received, stopping the sandbox…`);
      sandbox.close().then(
        () => {
          log('sandbox stopped');
          resolve(0);
        },
        (err: unknown) => {
          logError(`paymnt-sandbox: ${message(err)}`);
          resolve(1);
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  return stopped.finally(() => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  });
}

/**
 * Runs the `paymnt-sandbox` command. Resolves with the process exit code: 0 after `--help`,
 * `--version` or a signal-triggered stop; 2 for a bad flag or value; 1 if the sandbox cannot start
 * (port taken…) or a second signal cuts the stop short. It never exits the process itself.
 * @param argv the arguments after the script (`process.argv.slice(2)`)
 * @param env read for each flag's environment variable twin
 */
export async function runSandboxCli(
  argv: readonly string[] = process.argv.slice(2),
  env: SandboxCliEnv = process.env,
  log: (line: string) => void = console.log,
  logError: (line: string) => void = console.error,
): Promise<number> {
  let args: SandboxCliArgs;
  try {
    args = parseSandboxCliArgs(argv, env, log);
  } catch (err) {
    if (!(err instanceof CliUsageError)) throw err;
    logError(`paymnt-sandbox: ${err.message}`);
    logError('Run paymnt-sandbox --help for the flags.');
    return 2;
  }
  if (args.help) {
    log(sandboxCliHelp());
    return 0;
  }
  if (args.version) {
    log(packageVersion());
    return 0;
  }
  let sandbox: Sandbox;
  try {
    sandbox = await startSandboxServer(args.options, log);
  } catch (err) {
    logError(`paymnt-sandbox: cannot start: ${message(err)}`);
    return 1;
  }
  return stopOnSignal(sandbox, log, logError);
}
