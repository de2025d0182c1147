import { CLI_FLAGS } from './cli-flags';

const COLUMN = 36;

function entry(left: string, lines: string[]): string[] {
  const pad = ' '.repeat(COLUMN);
  return lines.map((line, i) => (i === 0 ? `  ${left}`.padEnd(COLUMN) + line : pad + line));
}

/** The `--help` text, built from the flag table. */
export function sandboxCliHelp(): string {
  const out = [
    'Usage: paymnt-sandbox [flags]        (or: npx @paymnt/sandbox [flags])',
    '',
    'Starts a local Paymnt sandbox, a stateful emulator of the Paymnt API, and prints its URL and keys.',
    'Every flag has an environment variable twin; the flag wins. Ctrl-C stops the sandbox.',
    '',
    'Flags:',
  ];
  for (const f of CLI_FLAGS) {
    const name = `${f.short ? `-${f.short}, ` : '    '}--${f.name}${f.value ? ` ${f.value}` : ''}`;
    out.push(...entry(name, [f.description, `env ${f.env}, default ${f.default}`]));
  }
  out.push(...entry('-h, --help', ['print this help']), ...entry('    --version', ['print the version']));
  out.push(
    '',
    'Fault rules (--fault, repeatable) take the JSON of a FaultRule, an array of them, or a compact',
    'form with the same field names and the fault inline, for example:',
    '  --fault "route=POST /payments,status=503,times=1"',
    '  --fault "route=GET /payments/:id,probability=0.2,seed=42,latencyMs=2000"',
    `  --fault '{"route":"POST /refunds","when":"after","sequence":[{"status":500},null,{"reset":true}]}'`,
  );
  return out.join('\n');
}
