import type { ScoreBucket } from '@kaowu/contracts';

/** 成绩分布: one vertical bar per score band, its count above it. */
export function ScoreDistributionChart({ buckets, title, countLabel }: { buckets: ScoreBucket[]; title: string; countLabel: (count: number) => string }) {
  const width = 520;
  const height = 200;
  const axis = 24;
  const top = 18;
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const barWidth = (width - 20) / Math.max(1, buckets.length);
  const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
  return (
    <figure className="fill-chart">
      <figcaption>{title}</figcaption>
      <svg role="img" aria-label={title} width="100%" viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="xMinYMin meet">
        <line x1={10} x2={width - 10} y1={height - axis} y2={height - axis} stroke="#d0d7e2" />
        {buckets.map((b, i) => {
          const h = ((height - axis - top) * b.count) / max;
          const x = 10 + i * barWidth;
          return (
            <g key={b.from} data-testid={`bucket-${i}`}>
              <title>{`${fmt(b.from)}–${fmt(b.to)}：${countLabel(b.count)}`}</title>
              <rect x={x + 3} y={height - axis - h} width={barWidth - 6} height={h} fill={i === buckets.length - 1 ? '#2e7d32' : '#1f5fa8'} rx={2} />
              <text x={x + barWidth / 2} y={height - axis - h - 4} fontSize="11" textAnchor="middle" fill="#1d2733">
                {b.count}
              </text>
              <text x={x + barWidth / 2} y={height - 8} fontSize="10" textAnchor="middle" fill="#5b6778">
                {fmt(b.from)}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
