/** Small statistics helpers: every figure of the suite is a median (or a percentile) of samples. */

/** The middle value (the mean of the two middle values for an even count); NaN for an empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Nearest-rank percentile of `values` (`p` in 0..100); NaN for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Percentiles of a large latency sample kept in a typed array (sorted in place). */
export function percentilesOf(samples: Float64Array, ps: readonly number[]): number[] {
  if (samples.length === 0) return ps.map(() => Number.NaN);
  samples.sort();
  return ps.map((p) => samples[Math.min(samples.length - 1, Math.max(0, Math.ceil((p / 100) * samples.length) - 1))]);
}

/** Least-squares slope of `ys` against 0, 1, 2... (units of y per step). */
export function slope(ys: readonly number[]): number {
  const n = ys.length;
  if (n < 2) return 0;
  const meanX = (n - 1) / 2;
  const meanY = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (i - meanX) * (ys[i] - meanY);
    den += (i - meanX) ** 2;
  }
  return num / den;
}

/** A growable Float64Array for latency samples (no boxed numbers on the hot path). */
export class SampleBuffer {
  #data: Float64Array;
  #length = 0;

  constructor(initial = 1 << 14) {
    this.#data = new Float64Array(initial);
  }

  push(value: number): void {
    if (this.#length === this.#data.length) {
      const grown = new Float64Array(this.#data.length * 2);
      grown.set(this.#data);
      this.#data = grown;
    }
    this.#data[this.#length++] = value;
  }

  get length(): number {
    return this.#length;
  }

  /** A copy of the samples. */
  toArray(): Float64Array {
    return this.#data.slice(0, this.#length);
  }
}

/** Concatenates sample arrays. */
export function concatSamples(parts: readonly Float64Array[]): Float64Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Float64Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
