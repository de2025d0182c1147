/**
 * `npm run bench` (full, a few minutes on 2 cores) and `npm run bench -- --quick` (smoke run, under
 * 30 s). Runs each section, prints one table of figures against baselines measured in the same
 * run, and writes benchmarks/results/latest.json (latest-quick.json for --quick).
 *
 * Exit code: 1 when a section could not be measured (an error, or in the full run a package that
 * is not built); never because of a speed figure.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { UnavailableError } from './lib/child';
import { FULL, QUICK, type BenchContext } from './lib/context';
import { machineInfo } from './lib/machine';
import { renderTable, type Row } from './lib/report';
import { clientOverhead } from './sections/client-overhead';
import { memoryBound } from './sections/memory';
import { sandboxThroughput } from './sections/sandbox';
import { signatureVerification } from './sections/signature';
import { webhookIntake } from './sections/webhook-intake';
import { webhookRedis } from './sections/webhook-redis';

interface Section {
  id: string;
  title: string;
  run(ctx: BenchContext): Promise<Row[]>;
}

const SECTIONS: Section[] = [
  { id: '1', title: 'client overhead (retrieve against a stub server)', run: clientOverhead },
  { id: '2', title: 'webhook intake (Nest, Express and Fastify) + 5b leak check', run: webhookIntake },
  { id: '3', title: 'signature verification', run: signatureVerification },
  { id: '4', title: 'sandbox throughput', run: sandboxThroughput },
  { id: '5', title: 'memory of the dedupe store', run: memoryBound },
  { id: '6', title: 'webhook intake on Redis: RedisEventStore, 1-3 instances, durable intake (BullMQ)', run: webhookRedis },
];

interface SectionStatus {
  id: string;
  title: string;
  status: 'measured' | 'unavailable' | 'failed';
  seconds: number;
  error?: string;
}

function parseArgs(argv: string[]): { quick: boolean; only: Set<string> | undefined; cpuProf: boolean } {
  let quick = false;
  let cpuProf = false;
  let only: Set<string> | undefined;
  for (const arg of argv) {
    if (arg === '--quick') quick = true;
    else if (arg === '--cpu-prof') cpuProf = true;
    else if (arg.startsWith('--only=')) only = new Set(arg.slice('--only='.length).split(','));
    else if (arg === '--help' || arg === '-h') {
      console.log('usage: node benchmarks/dist/run.js [--quick] [--only=1,2,3,4,5,6] [--cpu-prof]');
      console.log('  --cpu-prof  writes a V8 CPU profile of every server child to benchmarks/results/profiles');
      process.exit(0);
    } else {
      console.error(`unknown argument ${arg}`);
      process.exit(2);
    }
  }
  return { quick, only, cpuProf };
}

async function main(): Promise<number> {
  const { quick, only, cpuProf } = parseArgs(process.argv.slice(2));
  const resultsDir = join(__dirname, '..', 'results');
  const profileDir = join(resultsDir, 'profiles');
  if (cpuProf) mkdirSync(profileDir, { recursive: true });
  // A run ends by itself whatever happens: a hung section cannot keep it (or CI) waiting.
  const watchdog = setTimeout(
    () => {
      console.error('bench: watchdog expired, stopping');
      process.exit(1);
    },
    quick ? 120_000 : 900_000,
  );
  watchdog.unref();

  const started = performance.now();
  const machine = machineInfo();
  const ctx: BenchContext = {
    quick,
    profile: quick ? QUICK : FULL,
    serverExecArgv: cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    log: (line) => console.log(line),
  };
  console.log(`paymnt benchmarks (${quick ? 'quick smoke run: figures are not meaningful' : 'full run'})`);
  console.log(`machine: ${machine.cpus} cpus, ${machine.cpuModel}, node ${machine.node}, load ${String(machine.loadAverageAtStart)}`);

  const rows: Row[] = [];
  const statuses: SectionStatus[] = [];
  for (const section of SECTIONS) {
    if (only !== undefined && !only.has(section.id)) continue;
    console.log(`\n[${section.id}] ${section.title}`);
    const t0 = performance.now();
    const status: SectionStatus = { id: section.id, title: section.title, status: 'measured', seconds: 0 };
    try {
      rows.push(...(await section.run(ctx)));
    } catch (error) {
      if (error instanceof UnavailableError) {
        status.status = 'unavailable';
        status.error = error.message;
        console.log(`  !! section ${section.id} UNAVAILABLE: ${error.message}${quick ? ' (quick run: skipped)' : ''}`);
      } else {
        status.status = 'failed';
        status.error = error instanceof Error ? error.stack ?? error.message : String(error);
        console.log(`  !! section ${section.id} FAILED: ${status.error}`);
      }
    }
    status.seconds = Number(((performance.now() - t0) / 1000).toFixed(1));
    statuses.push(status);
    console.log(`  (section ${section.id}: ${status.seconds} s)`);
  }

  rows.sort((a, b) => a.section.localeCompare(b.section));
  const seconds = Number(((performance.now() - started) / 1000).toFixed(1));
  console.log(`\nResults (${quick ? 'QUICK smoke run, not meaningful' : 'full run'}; ratios are medians of per-round ratios, rounds interleaved)`);
  console.log(renderTable(rows));
  for (const s of statuses) if (s.status !== 'measured') console.log(`section ${s.id} ${s.status.toUpperCase()}: ${s.error?.split('\n')[0]}`);
  const misses = rows.filter((r) => r.pass === false).length;
  const passes = rows.filter((r) => r.pass === true).length;
  const loadAtEnd = loadavg().map((l) => Number(l.toFixed(2)));
  console.log(`${passes} targets met, ${misses} missed; ${seconds} s; load average ${String(machine.loadAverageAtStart)} at start, ${String(loadAtEnd)} at end`);

  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, quick ? 'latest-quick.json' : 'latest.json');
  writeFileSync(
    file,
    `${JSON.stringify({ date: new Date().toISOString(), mode: quick ? 'quick' : 'full', seconds, machine: { ...machine, loadAverageAtEnd: loadAtEnd }, profile: ctx.profile, sections: statuses, rows }, null, 2)}\n`,
  );
  console.log(`written ${file}`);
  if (cpuProf) console.log(`CPU profiles of the server children in ${profileDir} (summarise with dist/profile-summary.js)`);

  const failed = statuses.filter((s) => s.status === 'failed' || (s.status === 'unavailable' && !quick));
  return failed.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
