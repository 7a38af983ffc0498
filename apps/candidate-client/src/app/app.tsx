import { useLanguage } from '@kaowu/ui';
import { useSyncExternalStore, type ReactNode } from 'react';
import { ExamScreen } from './components/exam-screen';
import { IdentityScreen } from './components/identity-screen';
import { LoginScreen } from './components/login-screen';
import { StatusBar } from './components/status-bar';
import { useT } from './components/use-t';
import type { ExamSession, ExamState } from './exam-session';
import { errorText } from './messages';

export function App({ session }: { session: ExamSession }) {
  const state = useSyncExternalStore(session.subscribe, session.getSnapshot);
  if (state.paper && (state.stage === 'answering' || state.stage === 'ended')) return <ExamScreen state={state} session={session} />;
  return (
    <div className="page">
      <StatusBar state={state} />
      <Stage state={state} session={session} />
    </div>
  );
}

function Stage({ state, session }: { state: ExamState; session: ExamSession }) {
  const t = useT();
  const { lang } = useLanguage();
  switch (state.stage) {
    case 'connecting':
      return <Notice title={t('machine.connecting')} />;
    case 'machine_refused':
      return (
        <Notice title={t('machine.refused')}>
          {state.machineError && (
            <p role="alert" className="error">
              {errorText(state.machineError, lang)}
            </p>
          )}
          <p>{state.machineError?.code === 'MACHINE_NOT_ATTESTED' ? t('machine.notAttestedHint') : t('machine.refusedHint')}</p>
          <p className="hint">
            {t('machine.id')} {state.machine.machineId}
          </p>
        </Notice>
      );
    case 'waiting_login':
      return <LoginScreen state={state} session={session} />;
    case 'identity':
    case 'loading_paper':
    case 'answering':
      return <IdentityScreen state={state} />;
    case 'ended':
      return (
        <Notice title={state.ended?.reason === 'submitted' ? t('ended.submitted') : t('ended.over')}>
          <p role="status">{t(state.ended?.reason === 'submitted' ? 'ended.submittedText' : 'ended.timeUpText')}</p>
        </Notice>
      );
    case 'superseded':
      return (
        <Notice title={t('superseded.title')}>
          <p role="status">{t('superseded.text')}</p>
        </Notice>
      );
  }
}

function Notice({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <main className="panel notice-screen">
      <h1>{title}</h1>
      {children}
    </main>
  );
}

/** Shown instead of the app when the kiosk URL does not identify this machine. */
export function MachineConfigError({ field }: { field: string }) {
  const t = useT();
  return (
    <main className="panel notice-screen">
      <h1>{t('machine.refused')}</h1>
      <p role="alert" className="error">
        {t('machine.badUrl', { field })}
      </p>
    </main>
  );
}
