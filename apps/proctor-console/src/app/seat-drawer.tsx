import type { MoveSeatAck, SeatStatus } from '@kaowu/contracts';
import { formatClock, useLanguage } from '@kaowu/ui';
import { Alert, Descriptions, Drawer, Tabs } from 'antd';
import { useState } from 'react';
import { useT } from './messages';
import type { ProctorRoom } from './proctor-room';
import { ForceHandInForm, IdentityCheckPanel, MarkAbsentButton, ViolationForm } from './people-actions';
import { ExtendTimeForm, MoveSeatForm, MoveSeatResult, PauseResumeForm } from './seat-actions';
import { isActionable, seatStatusLabel } from './seat-status';

interface SeatDrawerProps {
  room: ProctorRoom;
  /** The seat as the latest push shows it; null closes the drawer. */
  seat: SeatStatus | null;
  seats: readonly SeatStatus[];
  onClose: () => void;
}

/** One seat in detail, with the actions a proctor may take on its candidate. */
export function SeatDrawer({ room, seat, seats, onClose }: SeatDrawerProps) {
  const t = useT();
  const title = seat ? (seat.candidate ? t('drawer.title', { no: seat.seatNo, name: seat.candidate.name }) : t('drawer.titleEmpty', { no: seat.seatNo })) : '';
  return (
    <Drawer open={seat !== null} onClose={onClose} title={title} size={460} destroyOnHidden className="seat-drawer">
      {seat ? <SeatDetail room={room} seat={seat} seats={seats} /> : null}
    </Drawer>
  );
}

function SeatDetail({ room, seat, seats }: { room: ProctorRoom; seat: SeatStatus; seats: readonly SeatStatus[] }) {
  const t = useT();
  const { lang } = useLanguage();
  const [moved, setMoved] = useState<MoveSeatAck | null>(null);
  const { candidate, attemptId } = seat;
  const none = t('detail.none');
  return (
    <div className="seat-detail">
      <Descriptions
        size="small"
        column={1}
        bordered
        items={[
          { key: 'candidate', label: t('detail.candidate'), children: candidate?.name ?? t('seat.empty') },
          { key: 'ticket', label: t('detail.ticketNo'), children: candidate?.ticketNo ?? none },
          { key: 'status', label: t('detail.status'), children: candidate ? seatStatusLabel(seat, lang) : t('seat.empty') },
          { key: 'machine', label: t('detail.machine'), children: t(seat.machineOnline ? 'seat.online' : 'seat.offline') },
          { key: 'progress', label: t('detail.progress'), children: `${seat.answered}/${seat.total}` },
          { key: 'lastSave', label: t('detail.lastSave'), children: seat.lastSaveAt ? formatClock(seat.lastSaveAt) : t('seat.neverSaved') },
          { key: 'credited', label: t('detail.credited'), children: t('detail.minutes', { minutes: seat.creditedMinutes ?? 0 }) },
          { key: 'moved', label: t('detail.movedFrom'), children: seat.movedFromSeatNo ? t('detail.movedFromValue', { no: seat.movedFromSeatNo }) : none },
          { key: 'focus', label: t('detail.focusLosses'), children: t('detail.times', { count: seat.focusLosses ?? 0 }) },
        ]}
      />
      {moved ? <MoveSeatResult ack={moved} /> : null}
      {candidate ? (
        <Tabs
          className="seat-actions"
          destroyOnHidden
          items={[
            ...(attemptId && isActionable(seat)
              ? [
                  { key: 'extend', label: t('extend.tab'), children: <ExtendTimeForm room={room} seat={{ ...seat, candidate, attemptId }} /> },
                  { key: 'pause', label: t('pause.tab'), children: <PauseResumeForm room={room} seat={{ ...seat, candidate, attemptId }} /> },
                  { key: 'move', label: t('move.tab'), children: <MoveSeatForm room={room} seat={{ ...seat, candidate, attemptId }} seats={seats} onMoved={setMoved} /> },
                  { key: 'force', label: t('force.tab'), children: <ForceHandInForm room={room} seat={{ ...seat, candidate, attemptId }} /> },
                ]
              : []),
            { key: 'identity', label: t('identity.tab'), children: <IdentityCheckPanel room={room} seat={{ ...seat, candidate }} /> },
            { key: 'violation', label: t('violation.tab'), children: <ViolationForm room={room} seat={{ ...seat, candidate }} /> },
          ]}
        />
      ) : null}
      {candidate && !(attemptId && isActionable(seat)) ? <Alert type="info" role="status" showIcon title={t(attemptId ? 'action.done' : 'action.notLoggedIn')} /> : null}
      {candidate && !attemptId && (seat.status === 'absent' || seat.status === 'not_logged_in') ? <MarkAbsentButton room={room} seat={{ ...seat, candidate }} /> : null}
    </div>
  );
}
