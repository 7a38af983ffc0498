import { STRESS_SAVE_P95_TARGET_MS, type StressSecond } from '@kaowu/contracts';

const W = 720;
const H = 240;
const PAD = { left: 48, right: 48, top: 12, bottom: 28 };
const SERIES = [
  { key: 'p50Ms', color: '#1f5fa8', label: 'p50' },
  { key: 'p95Ms', color: '#e08a00', label: 'p95' },
  { key: 'p99Ms', color: '#c62828', label: 'p99' },
] as const;

/**
 * 压力测试 chart: saves per second as bars (right axis), acknowledgement latency p50/p95/p99 as
 * lines (left axis), and the 150 ms line the venue must stay under.
 */
export function StressChart({ series, title }: { series: readonly StressSecond[]; title: string }) {
  const n = Math.max(series.length, 2);
  const maxMs = Math.max(STRESS_SAVE_P95_TARGET_MS * 1.2, ...series.map((s) => s.p99Ms ?? 0));
  const maxSaves = Math.max(1, ...series.map((s) => s.saves));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (i / (n - 1)) * innerW;
  const yMs = (ms: number) => PAD.top + innerH - (ms / maxMs) * innerH;
  const barW = Math.max(2, innerW / n - 2);
  const line = (key: (typeof SERIES)[number]['key']) =>
    series
      .map((s, i) => (s[key] === null ? null : `${x(i).toFixed(1)},${yMs(s[key] as number).toFixed(1)}`))
      .filter(Boolean)
      .join(' ');
  return (
    <figure className="stress-chart">
      <figcaption>{title}</figcaption>
      <svg role="img" aria-label={title} width="100%" viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="xMinYMin meet" data-testid="stress-chart">
        {series.map((s, i) => (
          <rect key={s.second} x={x(i) - barW / 2} width={barW} y={PAD.top + innerH - (s.saves / maxSaves) * innerH} height={(s.saves / maxSaves) * innerH} fill="#dbe6f3" />
        ))}
        <line x1={PAD.left} x2={W - PAD.right} y1={yMs(STRESS_SAVE_P95_TARGET_MS)} y2={yMs(STRESS_SAVE_P95_TARGET_MS)} stroke="#c62828" strokeDasharray="6 4" />
        <text x={W - PAD.right - 4} y={yMs(STRESS_SAVE_P95_TARGET_MS) - 4} fontSize="11" textAnchor="end" fill="#c62828">
          {`${STRESS_SAVE_P95_TARGET_MS} ms`}
        </text>
        {SERIES.map((sr) => (
          <polyline key={sr.key} points={line(sr.key)} fill="none" stroke={sr.color} strokeWidth={2} />
        ))}
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <text x={PAD.left - 6} y={yMs(f * maxMs) + 4} fontSize="11" textAnchor="end" fill="#5b6778">{`${Math.round(f * maxMs)} ms`}</text>
            <text x={W - PAD.right + 6} y={PAD.top + innerH - f * innerH + 4} fontSize="11" fill="#5b6778">{`${Math.round(f * maxSaves)}/s`}</text>
          </g>
        ))}
        <text x={PAD.left} y={H - 8} fontSize="11" fill="#5b6778">0 s</text>
        <text x={W - PAD.right} y={H - 8} fontSize="11" textAnchor="end" fill="#5b6778">{`${series.length} s`}</text>
        {SERIES.map((sr, i) => (
          <g key={sr.label}>
            <line x1={PAD.left + 10 + i * 70} x2={PAD.left + 30 + i * 70} y1={PAD.top + 8} y2={PAD.top + 8} stroke={sr.color} strokeWidth={2} />
            <text x={PAD.left + 34 + i * 70} y={PAD.top + 12} fontSize="11" fill="#1d2733">{sr.label}</text>
          </g>
        ))}
      </svg>
    </figure>
  );
}
