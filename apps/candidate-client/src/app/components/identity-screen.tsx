import { Countdown, useLanguage } from '@kaowu/ui';
import type { ExamState } from '../exam-session';
import { errorText } from '../messages';
import { CandidatePhotoView } from './candidate-photo';
import { useT } from './use-t';

/** After login: confirm identity, read 重要提示, wait for the start. */
export function IdentityScreen({ state }: { state: ExamState }) {
  const t = useT();
  const { lang } = useLanguage();
  const { candidate, session } = state;
  if (!candidate || !session) return null;
  const started = session.phase === 'in_progress';
  return (
    <main className="panel identity">
      <section aria-labelledby="identity-title">
        <h1 id="identity-title">{t('identity.title')}</h1>
        <div className="identity-row">
          <CandidatePhotoView candidate={candidate} className="identity-photo" />
          <dl className="identity-card">
          <dt>{t('identity.name')}</dt>
          <dd>{candidate.name}</dd>
          <dt>{t('identity.gender')}</dt>
          <dd>{t(`identity.gender.${candidate.gender}`)}</dd>
          <dt>{t('identity.ticketNo')}</dt>
          <dd>{candidate.ticketNo}</dd>
          <dt>{t('identity.idNo')}</dt>
          <dd>{candidate.idNoMasked}</dd>
          </dl>
        </div>
        <p className="hint">{t('identity.mismatch')}</p>
      </section>
      <section aria-labelledby="notice-title" className="notice">
        <h2 id="notice-title">{t('notice.title')}</h2>
        <ol>
          <li>{t('notice.1')}</li>
          <li>{t('notice.2')}</li>
          <li>{t('notice.3', { minutes: session.minMinutesBeforeHandIn })}</li>
          <li>{t('notice.4')}</li>
        </ol>
      </section>
      {!started && (
        <p className="starts-in">
          {t('notice.startsIn')} <Countdown endsAt={session.startsAt} offsetMs={state.offsetMs} data-testid="starts-in" />
        </p>
      )}
      <p className="hint">{state.stage === 'loading_paper' ? t('paper.loading') : t('notice.autoStart')}</p>
      {state.paperError && state.stage !== 'loading_paper' && (
        <p className="error" role="alert">
          {t('paper.error', { message: errorText(state.paperError, lang) })}
        </p>
      )}
    </main>
  );
}
