/**
 * Summarises a V8 .cpuprofile (written by `--cpu-prof`, e.g. with `run.js --cpu-prof`): self time
 * and total time per function, and self time per package, so a finding can name the file to change.
 *
 *   node benchmarks/dist/profile-summary.js benchmarks/results/profiles/<file>.cpuprofile [top=25] [filter]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export function packageOf(url: string): string {
  if (url === '') return '(native/vm)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm !== -1) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const pkg = /\/packages\/([^/]+)\//.exec(url);
  if (pkg) return `@paymnt/${pkg[1]}`;
  if (url.startsWith('node:')) return 'node core';
  if (url.includes('/benchmarks/')) return 'benchmarks';
  return url;
}

/** Self time (µs) per function (`name file:line`) and per package of a profile; `(idle)` and `(program)` left out. */
export function selfTimes(profile: CpuProfile): { byFunction: Map<string, number>; byPackage: Map<string, number>; totalUs: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)!;
    const f = node.callFrame;
    if (f.functionName === '(idle)' || f.functionName === '(program)') return;
    const us = profile.timeDeltas[i] ?? 0;
    const where = f.url ? `${f.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '').replace(/^.*\/packages\//, '')}:${f.lineNumber + 1}` : '';
    const key = `${f.functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const pkg = f.functionName === '(garbage collector)' ? '(gc)' : packageOf(f.url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    totalUs += us;
  });
  return { byFunction, byPackage, totalUs };
}

export type { CpuProfile };

function main(): void {
  const [file, topArg, filter] = process.argv.slice(2);
  if (file === undefined) {
    console.error('usage: profile-summary.js FILE.cpuprofile [top] [url-filter]');
    process.exit(2);
  }
  const top = Number(topArg ?? 25);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

  const key = (n: ProfileNode): string => {
    const f = n.callFrame;
    const where = f.url ? `${f.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '')}:${f.lineNumber + 1}` : '';
    return `${f.functionName || '(anonymous)'} ${where}`.trim();
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const packages = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    self.set(key(node), (self.get(key(node)) ?? 0) + us);
    packages.set(packageOf(node.callFrame.url), (packages.get(packageOf(node.callFrame.url)) ?? 0) + us);
    // Inclusive time: every distinct frame on the stack gets the sample once.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = key(byId.get(cur)!);
      if (!seen.has(k)) {
        seen.add(k);
        inclusive.set(k, (inclusive.get(k) ?? 0) + us);
      }
    }
  }
  const pct = (us: number): string => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
  const show = (title: string, map: Map<string, number>): void => {
    console.log(`\n${title}`);
    [...map.entries()]
      .filter(([k]) => filter === undefined || k.includes(filter))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .forEach(([k, us]) => console.log(`${pct(us)}  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`));
  };
  console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled`);
  show('self time by package', packages);
  show('self time by function', self);
  show('total time by function', inclusive);
}

if (require.main === module) main();
