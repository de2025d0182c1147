/** A target on a ratio: at least (`>=`) or at most (`<=`) `value`. */
export interface Target {
  op: '>=' | '<=';
  value: number;
}

/** One line of the final table (and of the JSON file). */
export interface Row {
  section: string;
  figure: string;
  value: number;
  unit: string;
  baselineName?: string;
  baselineValue?: number;
  /** Median of per-round ratios value/baseline (or the stated quotient for memory rows). */
  ratio?: number;
  /** Lowest and highest per-round ratio: how much the rounds disagreed. */
  ratioMin?: number;
  ratioMax?: number;
  target?: Target;
  /** Set from `target` (and any extra condition the section checks); undefined without a target. */
  pass?: boolean;
  p50Ms?: number;
  p99Ms?: number;
  /** CPU microseconds per operation of the measured side and of the baseline (what each costs). */
  cpuPerOpUs?: number;
  baselineCpuPerOpUs?: number;
  /** What was measured and anything needed to read the line. */
  detail?: Record<string, unknown>;
}

/** Fills `pass` from the target; `extraCondition` (e.g. "every event was handled") must also hold. */
export function judge(row: Row, extraCondition = true): Row {
  if (row.target === undefined || row.ratio === undefined || !Number.isFinite(row.ratio)) return row;
  const ok = row.target.op === '>=' ? row.ratio >= row.target.value : row.ratio <= row.target.value;
  return { ...row, pass: ok && extraCondition };
}

export function fmtNumber(value: number | undefined, unit = ''): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  let text: string;
  const abs = Math.abs(value);
  if (abs >= 100_000) text = `${(value / 1000).toFixed(0)}k`;
  else if (abs >= 10_000) text = `${(value / 1000).toFixed(1)}k`;
  else if (abs >= 100) text = value.toFixed(0);
  else if (abs >= 10) text = value.toFixed(1);
  else text = value.toFixed(2);
  return unit ? `${text} ${unit}` : text;
}

function fmtMs(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** Baseline CPU per op ÷ measured CPU per op: same direction as the throughput ratio (1.00 = as cheap). */
export function cpuRatio(row: Row): string {
  if (row.cpuPerOpUs === undefined || row.baselineCpuPerOpUs === undefined) return '—';
  const r = row.baselineCpuPerOpUs / row.cpuPerOpUs;
  return Number.isFinite(r) ? `${r.toFixed(2)}×` : '—';
}

/** The table printed at the end of a run (also pasted into docs/BENCHMARKS.md). */
export function renderTable(rows: readonly Row[]): string {
  const header = ['#', 'figure', 'value', 'baseline', 'ratio (rounds min–max)', 'target', 'result', 'p50 / p99 ms', 'cpu µs/op (base)', 'cpu ratio'];
  const lines = rows.map((row) => [
    row.section,
    row.figure,
    fmtNumber(row.value, row.unit),
    row.baselineName === undefined ? '—' : `${row.baselineName} ${fmtNumber(row.baselineValue, row.unit)}`,
    row.ratio === undefined || !Number.isFinite(row.ratio)
      ? '—'
      : `${row.ratio.toFixed(2)}×${row.ratioMin === undefined || row.ratioMax === undefined ? '' : ` (${row.ratioMin.toFixed(2)}–${row.ratioMax.toFixed(2)})`}`,
    row.target === undefined ? '—' : `${row.target.op} ${row.target.value.toFixed(2)}`,
    row.pass === undefined ? 'info' : row.pass ? 'pass' : 'MISS',
    row.p50Ms === undefined && row.p99Ms === undefined ? '—' : `${fmtMs(row.p50Ms)} / ${fmtMs(row.p99Ms)}`,
    row.cpuPerOpUs === undefined || !Number.isFinite(row.cpuPerOpUs)
      ? '—'
      : `${fmtNumber(row.cpuPerOpUs)}${row.baselineCpuPerOpUs === undefined ? '' : ` (${fmtNumber(row.baselineCpuPerOpUs)})`}`,
    cpuRatio(row),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const render = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [render(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(render)].join('\n');
}
