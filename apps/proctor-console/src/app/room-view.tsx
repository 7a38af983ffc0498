import type { RoomSeatsPush, SeatStatus } from '@kaowu/contracts';
import { formatClock, t as common, useLanguage, useNow } from '@kaowu/ui';
import { Button, Segmented } from 'antd';
import { useMemo, useState } from 'react';
import { ErrorLine } from './error-line';
import { useT } from './messages';
import { countRoom } from './room-counts';
import { RoomActions } from './room-actions';
import { RoomSummary } from './room-summary';
import type { ProctorRoom, ProctorState } from './proctor-room';
import { SeatDrawer } from './seat-drawer';
import { matchesFilter, SEAT_FILTERS, type SeatFilter } from './seat-filter';
import { SeatMap } from './seat-map';
import { VerificationView } from './verification-view';
import { ProcedurePanel } from './procedure-panel';
import { RoomExtensionRequests } from './extension-requests';
import { LoginLocks } from './login-locks';

type View = 'seats' | 'procedure' | 'verify';

/** The drawer follows the candidate (a 换机 moves them to another seat), or the seat if none logged in. */
interface Selection {
  seatNo: number;
  attemptId: string | null;
}
const selectedSeat = (seats: readonly SeatStatus[], sel: Selection | null) =>
  sel ? (seats.find((s) => (sel.attemptId ? s.attemptId === sel.attemptId : s.seatNo === sel.seatNo)) ?? null) : null;

export function RoomView({ state, room }: { state: ProctorState & { room: RoomSeatsPush }; room: ProctorRoom }) {
  const t = useT();
  const seats = state.room.seats;
  const counts = useMemo(() => countRoom(seats), [seats]);
  const [filter, setFilter] = useState<SeatFilter>('all');
  const [selection, setSelection] = useState<Selection | null>(null);
  const [view, setView] = useState<View>('seats');
  return (
    <main className="room">
      {state.staff?.role === 'chief' ? (
        <Button className="back-to-venue" onClick={() => void room.leaveRoom()}>
          {t('chief.back')}
        </Button>
      ) : null}
      <RoomHeader push={state.room} offsetMs={state.offsetMs} />
      <ErrorLine error={state.joinError} />
      <RoomSummary counts={counts} />
      <RoomExtensionRequests requests={state.room.extensionRequests ?? []} />
      <LoginLocks locks={state.room.loginLocks ?? []} room={room} />
      <Segmented<View> className="view-switch" aria-label={t('view.seats')} value={view} onChange={setView} options={[
          { value: 'seats', label: t('view.seats') },
          { value: 'procedure', label: t('view.procedure') },
          { value: 'verify', label: t('view.verify') },
        ]}
      />
      {view === 'procedure' ? <ProcedurePanel room={room} phase={state.room.phase} /> : null}
      {view === 'verify' ? <VerificationView room={room} /> : null}
      {view === 'seats' ? (
      <div className="toolbar">
        <Segmented<SeatFilter>
          aria-label={t('filter.label')}
          value={filter}
          onChange={setFilter}
          options={SEAT_FILTERS.map((f) => ({
            value: f,
            label: f === 'all' ? t('filter.all') : t('filter.count', { label: t(`filter.${f}`), count: seats.filter((s) => matchesFilter(s, f)).length }),
          }))}
        />
        <span className="spacer" />
        <RoomActions room={room} roomName={state.room.roomName} />
      </div>
      ) : null}
      {view === 'seats' ? <SeatMap seats={seats} filter={filter} onOpen={(s) => setSelection({ seatNo: s.seatNo, attemptId: s.attemptId ?? null })} /> : null}
      <SeatDrawer room={room} seat={selectedSeat(seats, selection)} seats={seats} onClose={() => setSelection(null)} />
    </main>
  );
}

function RoomHeader({ push, offsetMs }: { push: RoomSeatsPush; offsetMs: number }) {
  const t = useT();
  const { lang } = useLanguage();
  const now = useNow(1_000);
  return (
    <section className="room-header">
      <h1>
        {push.roomName}
        <small>{t('room.code', { code: push.roomCode })}</small>
      </h1>
      <dl>
        <dt>{t('room.session')}</dt>
        <dd>{push.sessionId}</dd>
        <dt>{t('room.phase')}</dt>
        <dd data-testid="phase">{common(`phase.${push.phase}`, lang)}</dd>
        <dt>{t('room.serverTime')}</dt>
        <dd data-testid="server-time">{formatClock(now + offsetMs)}</dd>
      </dl>
    </section>
  );
}
