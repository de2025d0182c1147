/**
 * The Paymnt sandbox as a runnable server (`npm run sandbox`, or `node apps/sandbox/dist/main.js`).
 * The command lives in `@paymnt/sandbox` (`npx @paymnt/sandbox --help` lists its flags and their
 * environment variables); this app only runs it.
 */
import { runSandboxCli } from '@paymnt/sandbox';

void runSandboxCli(process.argv.slice(2), process.env).then((code) => process.exit(code));
