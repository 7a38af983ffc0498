import type { SeatStatus } from '@kaowu/contracts';
import { formatClock, useLanguage } from '@kaowu/ui';
import { Card, Progress, Tag } from 'antd';
import { useT } from './messages';
import { seatStatusLabel, seatTone, type SeatTone } from './seat-status';

const TAG_COLOR: Record<SeatTone, string> = {
  idle: 'default',
  ready: 'blue',
  answering: 'green',
  paused: 'orange',
  done: 'purple',
  absent: 'red',
  empty: 'default',
};

interface SeatTileProps {
  seat: SeatStatus;
  gridRow: number;
  gridColumn: number;
  /** False when the active filter leaves the seat out: it keeps its place in the room, dimmed. */
  visible: boolean;
  onOpen: (seat: SeatStatus) => void;
}

/** One seat of the room: machine, candidate, state and progress at a glance; opens the seat drawer. */
export function SeatTile({ seat, gridRow, gridColumn, visible, onOpen }: SeatTileProps) {
  const t = useT();
  const { lang } = useLanguage();
  const { candidate } = seat;
  const tone = seatTone(seat);
  const style = { gridRow, gridColumn };
  const testId = `seat-${seat.seatNo}`;
  if (!visible)
    return (
      <li className="seat is-filtered-out" style={style} data-testid={testId} aria-hidden>
        <span className="seat-no">{t('seat.no', { no: seat.seatNo })}</span>
      </li>
    );
  if (!candidate)
    return (
      <li className="seat tone-empty" style={style} data-testid={testId}>
        <header>
          <span className="seat-no">{t('seat.no', { no: seat.seatNo })}</span>
          <MachineDot seat={seat} />
        </header>
        <div className="status">{t('seat.empty')}</div>
      </li>
    );
  const focusLosses = seat.focusLosses ?? 0;
  const percent = seat.total > 0 ? Math.round((seat.answered / seat.total) * 100) : 0;
  return (
    <li className={`seat tone-${tone}`} style={style} data-testid={testId}>
      <Card size="small" className="seat-card" onClick={() => onOpen(seat)}>
        <header>
          <button type="button" className="seat-no" aria-haspopup="dialog" aria-label={t('seat.open', { no: seat.seatNo, who: `${candidate.name} ${seatStatusLabel(seat, lang)}` })}>
            {t('seat.no', { no: seat.seatNo })}
          </button>
          <MachineDot seat={seat} />
        </header>
        <div className="name">{candidate.name}</div>
        <div className="ticket">{candidate.ticketNo}</div>
        <Tag className="status" color={TAG_COLOR[tone]}>
          {seatStatusLabel(seat, lang)}
        </Tag>
        <div className="progress">{t('seat.progress', { answered: seat.answered, total: seat.total })}</div>
        <Progress percent={percent} showInfo={false} size="small" aria-hidden />
        <div className="last-save">{seat.lastSaveAt ? t('seat.lastSave', { time: formatClock(seat.lastSaveAt) }) : t('seat.neverSaved')}</div>
        {seat.creditedMinutes ? <div className="credited">{t('seat.credited', { minutes: seat.creditedMinutes })}</div> : null}
        {seat.movedFromSeatNo ? <div className="moved">{t('seat.movedFrom', { no: seat.movedFromSeatNo })}</div> : null}
        {focusLosses > 0 ? <div className="focus-losses">{t('seat.focusLosses', { count: focusLosses })}</div> : null}
        <div className="person-flags">
          {seat.identity === 'verified' ? <Tag color="green">{t('seat.identityVerified')}</Tag> : null}
          {seat.identity === 'mismatch' ? <Tag color="red">{t('seat.identityMismatch')}</Tag> : null}
          {seat.incidents ? <Tag color="volcano">{t('seat.incidents', { count: seat.incidents })}</Tag> : null}
        </div>
      </Card>
    </li>
  );
}

/**
 * Machine state: green online, red offline where a candidate sits. An empty seat is no alarm: a
 * neutral dot if a machine is on there, nothing otherwise.
 */
export function MachineDot({ seat }: { seat: SeatStatus }) {
  const t = useT();
  if (!seat.candidate && !seat.machineOnline) return null;
  const label = t(seat.machineOnline ? 'seat.online' : 'seat.offline');
  const tone = !seat.candidate ? 'is-neutral' : seat.machineOnline ? 'is-online' : 'is-offline';
  return <span className={`online-dot ${tone}`} role="img" aria-label={label} title={label} />;
}
