import { useLanguage } from '@kaowu/ui';
import { useState, type FormEvent } from 'react';
import type { ExamSession, ExamState } from '../exam-session';
import { errorText } from '../messages';
import { useT } from './use-t';

export function LoginScreen({ state, session }: { state: ExamState; session: ExamSession }) {
  const t = useT();
  const { lang } = useLanguage();
  const [ticketNo, setTicketNo] = useState('');
  const [idNo, setIdNo] = useState('');
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void session.login(ticketNo, idNo);
  };
  return (
    <main className="panel login">
      <h1>{t('login.waiting')}</h1>
      <p className="seat-line">
        <span>
          {t('machine.id')} {state.machine.machineId}
        </span>
      </p>
      <form onSubmit={onSubmit} noValidate>
        <label>
          <span>{t('login.ticketNo')}</span>
          <input
            name="ticketNo"
            inputMode="numeric"
            autoComplete="off"
            autoFocus
            value={ticketNo}
            onChange={(e) => setTicketNo(e.target.value)}
            disabled={state.loginBusy}
          />
        </label>
        <label>
          <span>{t('login.idNo')}</span>
          <input name="idNo" autoComplete="off" value={idNo} onChange={(e) => setIdNo(e.target.value)} disabled={state.loginBusy} />
        </label>
        {state.loginError && (
          <p role="alert" className="error">
            {errorText(state.loginError, lang)}
          </p>
        )}
        <button type="submit" className="primary" disabled={state.loginBusy}>
          {state.loginBusy ? t('login.busy') : t('login.submit')}
        </button>
      </form>
    </main>
  );
}
