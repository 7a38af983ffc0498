import type { SeatStatus } from '@kaowu/contracts';
import { formatClock, t as common, useLanguage } from '@kaowu/ui';
import { useT } from './messages';

/** Seats laid out by row/col as in the room, 讲台 (front) on top. */
export function SeatMap({ seats }: { seats: readonly SeatStatus[] }) {
  const t = useT();
  if (seats.length === 0) return <p className="hint">{t('seatMap.empty')}</p>;
  const minRow = Math.min(...seats.map((s) => s.row));
  const minCol = Math.min(...seats.map((s) => s.col));
  const cols = Math.max(...seats.map((s) => s.col)) - minCol + 1;
  return (
    <section className="seat-map" aria-label={t('seatMap.label')}>
      <div className="front">{t('seatMap.front')}</div>
      <ol className="seat-grid" style={{ gridTemplateColumns: `repeat(${cols}, minmax(9.5em, 1fr))` }}>
        {seats.map((seat) => (
          <SeatCard key={seat.seatNo} seat={seat} gridRow={seat.row - minRow + 1} gridColumn={seat.col - minCol + 1} />
        ))}
      </ol>
    </section>
  );
}

function SeatCard({ seat, gridRow, gridColumn }: { seat: SeatStatus; gridRow: number; gridColumn: number }) {
  const t = useT();
  const { lang } = useLanguage();
  const { candidate } = seat;
  return (
    <li
      className={`seat status-${seat.status} ${candidate ? '' : 'is-empty'}`}
      style={{ gridRow, gridColumn }}
      data-testid={`seat-${seat.seatNo}`}
      aria-label={t('seat.no', { no: seat.seatNo })}
    >
      <header>
        <span className="seat-no">{t('seat.no', { no: seat.seatNo })}</span>
        <MachineDot seat={seat} />
      </header>
      {candidate ? (
        <>
          <div className="name">{candidate.name}</div>
          <div className="ticket">{candidate.ticketNo}</div>
          <div className="status">{common(`status.${seat.status}`, lang)}</div>
          <div className="progress">{t('seat.progress', { answered: seat.answered, total: seat.total })}</div>
          <div className="last-save">{seat.lastSaveAt ? t('seat.lastSave', { time: formatClock(seat.lastSaveAt) }) : t('seat.neverSaved')}</div>
          {seat.creditedMinutes ? <div className="credited">{t('seat.credited', { minutes: seat.creditedMinutes })}</div> : null}
        </>
      ) : (
        <div className="status">{t('seat.empty')}</div>
      )}
    </li>
  );
}

/**
 * Machine state: green online, red offline where a candidate sits. An empty seat is no alarm: a
 * neutral dot if a machine is on there, nothing otherwise.
 */
function MachineDot({ seat }: { seat: SeatStatus }) {
  const t = useT();
  if (!seat.candidate && !seat.machineOnline) return null;
  const label = t(seat.machineOnline ? 'seat.online' : 'seat.offline');
  const tone = !seat.candidate ? 'is-neutral' : seat.machineOnline ? 'is-online' : 'is-offline';
  return <span className={`online-dot ${tone}`} role="img" aria-label={label} title={label} />;
}
