import type { BenchChild } from './child';
import { cpuDelta } from './child';
import type { RoundSample } from './rounds';
import { SampleBuffer } from './stats';

/**
 * A closed-loop load generator: `concurrency` callers each await `call()` back to back until the
 * time is up. Records every call's latency and the CPU this process used. Any failed call fails
 * the round: a figure is only kept when every call succeeded.
 */
export async function closedLoop(call: () => Promise<unknown>, concurrency: number, seconds: number): Promise<RoundSample> {
  const latencies = new SampleBuffer();
  let ops = 0;
  let failure: unknown;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const end = started + seconds * 1000;
  const worker = async (): Promise<void> => {
    while (failure === undefined) {
      const t0 = performance.now();
      if (t0 >= end) return;
      try {
        await call();
      } catch (error) {
        failure ??= error;
        return;
      }
      latencies.push(performance.now() - t0);
      ops++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  if (failure !== undefined) throw failure;
  return { ops, seconds: elapsed, latencies: latencies.toArray(), loadCpuUs: cpu.user + cpu.system };
}

/** Runs `fn` and adds the server child's CPU time over it to the sample. */
export async function withServerCpu(child: BenchChild, fn: () => Promise<RoundSample>): Promise<RoundSample> {
  const before = await child.cpu();
  const sample = await fn();
  const after = await child.cpu();
  return { ...sample, serverCpuUs: cpuDelta(before, after) };
}
