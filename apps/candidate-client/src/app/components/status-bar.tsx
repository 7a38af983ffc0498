import { LanguageSwitch, t as common, useLanguage } from '@kaowu/ui';
import type { ExamState } from '../exam-session';
import { useT } from './use-t';

export function ConnectionBadge({ connection }: { connection: ExamState['connection'] }) {
  const { lang } = useLanguage();
  return (
    <span className={`connection is-${connection}`} data-testid="connection">
      <span className="dot" aria-hidden="true" />
      {common(`connection.${connection}`, lang)}
    </span>
  );
}

/** Top strip of the pre-exam screens: venue, room/seat, connection, language. */
export function StatusBar({ state }: { state: ExamState }) {
  const t = useT();
  const { lang } = useLanguage();
  return (
    <header className="status-bar">
      <strong>{state.venueName ?? t('app.title')}</strong>
      <span>
        {common('common.room', lang)} {state.machine.roomCode} · {common('common.seat', lang)} {state.machine.seatNo}
      </span>
      <span className="spacer" />
      <ConnectionBadge connection={state.connection} />
      <LanguageSwitch />
    </header>
  );
}
