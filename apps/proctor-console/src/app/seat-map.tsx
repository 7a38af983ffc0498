import type { SeatStatus } from '@kaowu/contracts';
import { Empty } from 'antd';
import { useT } from './messages';
import { matchesFilter, type SeatFilter } from './seat-filter';
import { SeatTile } from './seat-tile';

/** Seats laid out by row/col as in the room, 讲台 (front) on top. */
export function SeatMap({ seats, filter, onOpen }: { seats: readonly SeatStatus[]; filter: SeatFilter; onOpen: (seat: SeatStatus) => void }) {
  const t = useT();
  if (seats.length === 0) return <Empty description={t('seatMap.empty')} />;
  const minRow = Math.min(...seats.map((s) => s.row));
  const minCol = Math.min(...seats.map((s) => s.col));
  const cols = Math.max(...seats.map((s) => s.col)) - minCol + 1;
  const shown = seats.filter((s) => matchesFilter(s, filter)).length;
  return (
    <section className="seat-map" aria-label={t('seatMap.label')}>
      <div className="front">{t('seatMap.front')}</div>
      {shown === 0 ? <p className="hint">{t('filter.none')}</p> : null}
      <ol className="seat-grid" style={{ gridTemplateColumns: `repeat(${cols}, minmax(10.5em, 1fr))` }}>
        {seats.map((seat) => (
          <SeatTile key={seat.seatNo} seat={seat} gridRow={seat.row - minRow + 1} gridColumn={seat.col - minCol + 1} visible={matchesFilter(seat, filter)} onOpen={onOpen} />
        ))}
      </ol>
    </section>
  );
}
