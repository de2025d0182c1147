import { concatSamples, median, percentilesOf } from './stats';

/** What one timed round of one variant measured. */
export interface RoundSample {
  /** Successful operations (requests answered 2xx, calls resolved, ops done). */
  ops: number;
  /** Wall-clock length of the round, in seconds. */
  seconds: number;
  /** Latency samples in milliseconds (own load generators). */
  latencies?: Float64Array;
  /** Latency percentiles of this round in milliseconds (autocannon gives them). */
  p50?: number;
  p99?: number;
  /** CPU microseconds the load-generating process used during the round. */
  loadCpuUs?: number;
  /** CPU microseconds the server child used during the round. */
  serverCpuUs?: number;
}

/** One side of a comparison: something that can be run for a given time and measured. */
export interface Variant {
  name: string;
  run(seconds: number): Promise<RoundSample>;
}

/** How long to measure: a warm-up (discarded), then `rounds` timed rounds per variant. */
export interface RoundPlan {
  warmSeconds: number;
  roundSeconds: number;
  rounds: number;
}

/** A variant's figures over the timed rounds. */
export interface VariantResult {
  name: string;
  /** Throughput of each round (ops per second), in round order. */
  perRound: number[];
  /** Median of `perRound`. */
  opsPerSec: number;
  /** Latency percentiles in ms: pooled samples, or the median of the rounds' own percentiles. */
  p50: number;
  p99: number;
  /** Median CPU microseconds per operation of the load generator / the server child. */
  loadCpuPerOpUs: number;
  serverCpuPerOpUs: number;
  /** Median share of one core the load generator / the server child used (1 = a full core: that side is the limit). */
  loadCpuShare: number;
  serverCpuShare: number;
  totalOps: number;
}

/**
 * Runs every variant's warm-up, then `rounds` rounds in which each variant runs once, the order
 * rotating from round to round. Interleaving makes each round a pair (or set) measured under the
 * same background load, so a ratio taken per round and then the median of those ratios holds on a
 * noisy machine even when absolute throughput drifts.
 */
export async function interleave(variants: readonly Variant[], plan: RoundPlan, log?: (line: string) => void): Promise<Map<string, VariantResult>> {
  for (const variant of variants) {
    if (plan.warmSeconds > 0) await variant.run(plan.warmSeconds);
  }
  const samples = new Map<string, RoundSample[]>(variants.map((v) => [v.name, []]));
  for (let round = 0; round < plan.rounds; round++) {
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(i + round) % variants.length];
      const sample = await variant.run(plan.roundSeconds);
      samples.get(variant.name)!.push(sample);
    }
    log?.(
      `    round ${round + 1}/${plan.rounds}: ` +
        variants.map((v) => `${v.name} ${fmtRate(rate(samples.get(v.name)![round]))}`).join(', '),
    );
  }
  const results = new Map<string, VariantResult>();
  for (const variant of variants) results.set(variant.name, summarize(variant.name, samples.get(variant.name)!));
  return results;
}

function rate(sample: RoundSample): number {
  return sample.seconds > 0 ? sample.ops / sample.seconds : 0;
}

function fmtRate(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(1)}k/s` : `${value.toFixed(0)}/s`;
}

export function summarize(name: string, rounds: readonly RoundSample[]): VariantResult {
  const perRound = rounds.map(rate);
  const pooled = rounds.filter((r) => r.latencies !== undefined).map((r) => r.latencies!);
  let p50: number;
  let p99: number;
  if (pooled.length > 0) {
    [p50, p99] = percentilesOf(concatSamples(pooled), [50, 99]);
  } else {
    p50 = median(rounds.filter((r) => r.p50 !== undefined).map((r) => r.p50!));
    p99 = median(rounds.filter((r) => r.p99 !== undefined).map((r) => r.p99!));
  }
  const perOp = (pick: (r: RoundSample) => number | undefined): number =>
    median(rounds.filter((r) => pick(r) !== undefined && r.ops > 0).map((r) => pick(r)! / r.ops));
  const share = (pick: (r: RoundSample) => number | undefined): number =>
    median(rounds.filter((r) => pick(r) !== undefined && r.seconds > 0).map((r) => pick(r)! / (r.seconds * 1e6)));
  return {
    name,
    perRound,
    opsPerSec: median(perRound),
    p50,
    p99,
    loadCpuPerOpUs: perOp((r) => r.loadCpuUs),
    serverCpuPerOpUs: perOp((r) => r.serverCpuUs),
    loadCpuShare: share((r) => r.loadCpuUs),
    serverCpuShare: share((r) => r.serverCpuUs),
    totalOps: rounds.reduce((n, r) => n + r.ops, 0),
  };
}

/** `a`'s throughput divided by `b`'s in the same round: the median over rounds, and the lowest and highest. */
export function pairedRatio(a: VariantResult, b: VariantResult): { ratio: number; ratioMin: number; ratioMax: number } {
  const n = Math.min(a.perRound.length, b.perRound.length);
  const ratios: number[] = [];
  for (let i = 0; i < n; i++) if (b.perRound[i] > 0) ratios.push(a.perRound[i] / b.perRound[i]);
  return { ratio: median(ratios), ratioMin: Math.min(...ratios), ratioMax: Math.max(...ratios) };
}
