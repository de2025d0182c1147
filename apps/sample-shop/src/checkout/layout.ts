/** Escapes text for HTML content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const STYLE = `
  body { font: 15px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1d2330; }
  h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 1.6rem; }
  table { border-collapse: collapse; width: 100%; } td, th { padding: .3rem .5rem; border-bottom: 1px solid #e3e6ec; text-align: left; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  input, select, button { font: inherit; padding: .3rem .5rem; }
  button { cursor: pointer; border: 1px solid #3451b2; background: #3451b2; color: #fff; border-radius: 4px; }
  button:disabled { opacity: .45; cursor: default; }
  .row { display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; margin: .4rem 0; }
  .error { color: #b42318; min-height: 1.5em; }
  .banner { padding: .6rem .8rem; border-radius: 4px; background: #ecfdf3; border: 1px solid #abefc6; }
  .banner.bad { background: #fef3f2; border-color: #fecdca; }
  .status { font-weight: 600; padding: .1rem .5rem; border-radius: 4px; background: #eef2ff; }
  code { background: #f3f4f6; padding: 0 .25rem; border-radius: 3px; }
  .muted { color: #667085; font-size: .9em; }
`;

/** Formats minor units in the browser: `money(6540, 'USD')` → `$65.40` (zero-decimal currencies too). */
export const MONEY_JS = `
  function money(minor, currency) {
    const format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    const digits = format.resolvedOptions().maximumFractionDigits;
    return format.format(minor / Math.pow(10, digits));
  }`;

/** The page shell. `script` runs at the end of the body. */
export function layout(title: string, body: string, script: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Paymnt sample shop</title>
<style>${STYLE}</style>
</head>
<body>
${body}
<script>
'use strict';
${script}
</script>
</body>
</html>`;
}
