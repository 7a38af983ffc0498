/** Percentile of a sample (nearest-rank on a sorted copy); 0 for an empty sample. */
export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function sortedSample(values: number[]): Float64Array {
  return Float64Array.from(values).sort();
}

export interface SecondStats {
  second: number;
  saves: number;
  errors: number;
  p50: number;
  p99: number;
  cpuPercent: number;
  rssMb: number;
}

/** A self-contained HTML report with an SVG chart: saves/s, p99 latency and server CPU per second. */
export function loadChartHtml(title: string, seconds: SecondStats[], summary: Record<string, unknown>): string {
  const W = 900;
  const H = 260;
  const pad = 40;
  const n = Math.max(1, seconds.length - 1);
  const x = (i: number) => pad + (i / n) * (W - 2 * pad);
  const series = (values: number[], colour: string, label: string) => {
    const max = Math.max(1, ...values);
    const y = (v: number) => H - pad - (v / max) * (H - 2 * pad);
    const points = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${label}">
  <text x="${pad}" y="20" font-size="14" fill="#333">${label} (max ${max.toFixed(1)})</text>
  <line x1="${pad}" y1="${H - pad}" x2="${W - pad}" y2="${H - pad}" stroke="#999"/>
  <line x1="${pad}" y1="${pad}" x2="${pad}" y2="${H - pad}" stroke="#999"/>
  <text x="${W - pad}" y="${H - pad + 16}" font-size="11" text-anchor="end" fill="#666">${seconds.length} s</text>
  <polyline fill="none" stroke="${colour}" stroke-width="2" points="${points}"/>
</svg>`;
  };
  const rows = Object.entries(summary)
    .map(([k, v]) => `<tr><th>${k}</th><td>${typeof v === 'object' ? JSON.stringify(v) : String(v)}</td></tr>`)
    .join('');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font-family:system-ui,"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin-bottom:16px}th,td{border:1px solid #ddd;padding:4px 10px;text-align:left}</style>
</head><body><h1>${title}</h1><table>${rows}</table>
${series(seconds.map((s) => s.saves), '#1f5fa8', '每秒保存 saves/s')}
${series(seconds.map((s) => s.p99), '#c0392b', 'p99 应答延迟 ack latency (ms)')}
${series(seconds.map((s) => s.cpuPercent), '#2e7d32', '服务器 CPU % (one core = 100)')}
</body></html>`;
}
