import type { RoomFillRow } from '@kaowu/contracts';

const colorOf = (rate: number) => (rate >= 0.95 ? '#c62828' : rate >= 0.6 ? '#1f5fa8' : '#8fb3dc');

/** 考场使用率: one horizontal bar per room and batch (placed in the busiest subject ÷ seats after spares). */
export function FillRateChart({ rooms, title }: { rooms: RoomFillRow[]; title: string }) {
  const barHeight = 22;
  const labelWidth = 150;
  const width = 640;
  const height = rooms.length * (barHeight + 6) + 24;
  return (
    <figure className="fill-chart">
      <figcaption>{title}</figcaption>
      <svg role="img" aria-label={title} width="100%" viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="xMinYMin meet">
        {[0, 0.5, 1].map((tick) => (
          <g key={tick}>
            <line x1={labelWidth + tick * (width - labelWidth - 60)} x2={labelWidth + tick * (width - labelWidth - 60)} y1={0} y2={height - 18} stroke="#d0d7e2" />
            <text x={labelWidth + tick * (width - labelWidth - 60)} y={height - 4} fontSize="11" textAnchor="middle" fill="#5b6778">
              {Math.round(tick * 100)}%
            </text>
          </g>
        ))}
        {rooms.map((r, i) => {
          const y = i * (barHeight + 6);
          const w = Math.min(1, r.fillRate) * (width - labelWidth - 60);
          return (
            <g key={`${r.batchCode}/${r.venueCode}/${r.roomCode}`} data-testid={`fill-${r.batchCode}-${r.venueCode}-${r.roomCode}`}>
              <text x={labelWidth - 8} y={y + barHeight * 0.7} fontSize="12" textAnchor="end" fill="#1d2733">
                {`${r.batchCode} ${r.venueCode}/${r.roomCode}`}
              </text>
              <rect x={labelWidth} y={y} width={w} height={barHeight} fill={colorOf(r.fillRate)} rx={2} />
              <text x={labelWidth + w + 6} y={y + barHeight * 0.7} fontSize="12" fill="#1d2733">
                {`${(r.fillRate * 100).toFixed(1)}%`}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
