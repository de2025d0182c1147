#!/usr/bin/env node
/** The `paymnt-sandbox` command (`npx @paymnt/sandbox`). */
import { runSandboxCli } from './cli/cli';

void runSandboxCli(process.argv.slice(2), process.env).then((code) => process.exit(code));
