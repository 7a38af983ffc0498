import { LanguageSwitch, formatClock, t as common, useLanguage, useNow } from '@kaowu/ui';
import { useMemo, useState, useSyncExternalStore, type FormEvent } from 'react';
import { useT } from './messages';
import { countRoom } from './room-counts';
import type { ProctorRoom, ProctorState } from './proctor-room';
import { SeatMap } from './seat-map';

export function App({ room }: { room: ProctorRoom }) {
  const state = useSyncExternalStore(room.subscribe, room.getSnapshot);
  const t = useT();
  const { lang } = useLanguage();
  return (
    <div className="page">
      <header className="top-bar">
        <strong>{t('app.title')}</strong>
        <span className="spacer" />
        <span className={`connection is-${state.connection}`} data-testid="connection">
          {common(`connection.${state.connection}`, lang)}
        </span>
        <LanguageSwitch />
      </header>
      {state.room ? <RoomView state={state} /> : <JoinForm state={state} room={room} />}
    </div>
  );
}

function ErrorLine({ state }: { state: ProctorState }) {
  const { lang } = useLanguage();
  if (!state.joinError) return null;
  return (
    <p role="alert" className="error">
      {lang === 'en' ? state.joinError.messageEn : state.joinError.message}
    </p>
  );
}

function JoinForm({ state, room }: { state: ProctorState; room: ProctorRoom }) {
  const t = useT();
  const [roomCode, setRoomCode] = useState('');
  const [accessCode, setAccessCode] = useState('');
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void room.join(roomCode, accessCode);
  };
  return (
    <main className="panel">
      <h1>{t('join.title')}</h1>
      <form onSubmit={onSubmit} className="join-form" noValidate>
        <label>
          <span>{t('join.roomCode')}</span>
          <input value={roomCode} onChange={(e) => setRoomCode(e.target.value)} autoComplete="off" autoFocus />
        </label>
        <label>
          <span>{t('join.accessCode')}</span>
          <input type="password" value={accessCode} onChange={(e) => setAccessCode(e.target.value)} autoComplete="off" />
        </label>
        <ErrorLine state={state} />
        <button type="submit" className="primary" disabled={state.joinBusy}>
          {state.joinBusy ? t('join.busy') : t('join.submit')}
        </button>
      </form>
    </main>
  );
}

function RoomView({ state }: { state: ProctorState }) {
  const t = useT();
  const { lang } = useLanguage();
  const now = useNow(1_000);
  const room = state.room;
  const counts = useMemo(() => countRoom(room?.seats ?? []), [room]);
  if (!room) return null;
  return (
    <main className="room">
      <section className="room-header">
        <h1>
          {room.roomName}
          <small>{t('room.code', { code: room.roomCode })}</small>
        </h1>
        <dl>
          <dt>{t('room.session')}</dt>
          <dd>{room.sessionId}</dd>
          <dt>{t('room.phase')}</dt>
          <dd data-testid="phase">{common(`phase.${room.phase}`, lang)}</dd>
          <dt>{t('room.serverTime')}</dt>
          <dd data-testid="server-time">{formatClock(now + state.offsetMs)}</dd>
        </dl>
      </section>
      <ErrorLine state={state} />
      <ul className="counters" aria-label={t('count.label')}>
        <Counter label={t('count.expected')} value={counts.expected} />
        <Counter label={t('count.loggedIn')} value={counts.loggedIn} />
        <Counter label={t('count.handedIn')} value={counts.handedIn} />
        <Counter label={t('count.absent')} value={counts.absent} />
        <Counter label={t('count.online')} value={counts.machinesOnline} />
      </ul>
      <SeatMap seats={room.seats} />
    </main>
  );
}

function Counter({ label, value }: { label: string; value: number }) {
  return (
    <li className="counter">
      <span className="label">{label}</span>
      <strong aria-label={label}>{value}</strong>
    </li>
  );
}
