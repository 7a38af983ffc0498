import { Countdown, LanguageSwitch, remainingMs, useLanguage } from '@kaowu/ui';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ExamSession, ExamState } from '../exam-session';
import { errorText } from '../messages';
import { isAnswered } from './answers';
import { ItemView } from './item-view';
import { QuestionNav } from './question-nav';
import { ConnectionBadge } from './status-bar';
import { SubmitDialog } from './submit-dialog';
import { useT } from './use-t';

const TEN_MINUTES = 10 * 60_000;

/** True from `beforeMs` before `endsAt` (server clock) on; one timer, not a re-render per tick. */
function useTimeReached(endsAt: string, offsetMs: number, beforeMs = 0): boolean {
  const [, setTick] = useState(0);
  const left = remainingMs(endsAt, offsetMs) - beforeMs;
  useEffect(() => {
    if (left <= 0) return;
    const timer = setTimeout(() => setTick((n) => n + 1), Math.min(left + 50, 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [left]);
  return left <= 0;
}

function isTypingTarget(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.tagName === 'TEXTAREA' || target.tagName === 'INPUT');
}

export function ExamScreen({ state, session }: { state: ExamState; session: ExamSession }) {
  const t = useT();
  const { lang } = useLanguage();
  const { paper, candidate, answers, offsetMs, ended } = state;
  const sessionView = state.session;
  const items = useMemo(() => paper?.items ?? [], [paper]);
  const [index, setIndex] = useState(0);
  const [confirming, setConfirming] = useState(false);
  const endsAt = sessionView?.endsAt ?? new Date(0).toISOString();
  const timeUp = useTimeReached(endsAt, offsetMs);
  const lastTenMinutes = useTimeReached(endsAt, offsetMs, TEN_MINUTES);
  const readOnly = Boolean(ended) || timeUp;
  const item = items[Math.min(index, items.length - 1)];
  const answeredCount = items.filter((i) => isAnswered(answers[i.itemId])).length;

  const go = useCallback((delta: number) => setIndex((i) => Math.max(0, Math.min(items.length - 1, i + delta))), [items.length]);

  // Keyboard: A–H choose on the current item, ←/→ (or PageUp/PageDown) move between items.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (confirming || e.ctrlKey || e.altKey || e.metaKey || isTypingTarget(e.target) || !item) return;
      if (e.key === 'ArrowRight' || e.key === 'PageDown') go(1);
      else if (e.key === 'ArrowLeft' || e.key === 'PageUp') go(-1);
      else if (/^[a-h]$/i.test(e.key) && item.type !== 'text' && !readOnly) session.choose(item.itemId, e.key.toUpperCase());
      else return;
      e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [confirming, item, readOnly, go, session]);

  useEffect(() => {
    if (ended) setConfirming(false);
  }, [ended]);

  if (!paper || !candidate || !sessionView || !item) return null;

  return (
    <div className="exam">
      <header className="title-bar">
        <strong className="subject">{paper.subjectName}</strong>
        <span className="who">
          {candidate.name} · {candidate.ticketNo}
        </span>
        <span className="spacer" />
        {ended ? (
          <span className="remaining is-ended" data-testid="exam-over">
            {t(ended.reason === 'submitted' ? 'ended.submitted' : 'ended.over')}
          </span>
        ) : (
          <span className="remaining">
            {t('exam.remaining')}{' '}
            <Countdown endsAt={sessionView.endsAt} offsetMs={offsetMs} warnBelowMs={TEN_MINUTES} data-testid="remaining" />
          </span>
        )}
        <span className={`save-state ${state.saving ? 'is-saving' : 'is-saved'}`} data-testid="save-state" aria-live="polite">
          {state.saving ? t('exam.saving') : t('exam.saved')}
        </span>
        <ConnectionBadge connection={state.connection} />
        <LanguageSwitch />
        <button type="button" className="primary danger" onClick={() => setConfirming(true)} disabled={readOnly}>
          {t('exam.submit')}
        </button>
      </header>

      {ended ? (
        <section className="banner ended" role="status">
          <h1>{ended.reason === 'submitted' ? t('ended.submitted') : t('ended.over')}</h1>
          <p>{t(ended.reason === 'submitted' ? 'ended.submittedText' : ended.reason === 'forced' ? 'ended.forcedText' : 'ended.timeUpText')}</p>
        </section>
      ) : timeUp ? (
        <p className="banner warn" role="status">
          {t('exam.timeUp')}
        </p>
      ) : (
        lastTenMinutes && (
          <p className="banner warn" role="status">
            {t('exam.tenMinutes')}
          </p>
        )
      )}
      {!ended && state.connection === 'disconnected' && <p className="banner offline">{t('exam.offline')}</p>}
      {!ended && state.saveError && (
        <p className="banner error" role="alert">
          {t('exam.saveError', { message: errorText(state.saveError, lang) })}
        </p>
      )}

      <div className="exam-body">
        <QuestionNav
          items={items}
          answers={answers}
          unsavedItems={state.unsavedItems}
          currentId={item.itemId}
          onJump={(itemId) => setIndex(items.findIndex((i) => i.itemId === itemId))}
        />
        <ItemView
          key={item.itemId}
          item={item}
          value={answers[item.itemId]}
          unsaved={state.unsavedItems.has(item.itemId)}
          readOnly={readOnly}
          onChoose={(key) => session.choose(item.itemId, key)}
          onText={(text) => session.setText(item.itemId, text)}
          onPrev={index > 0 ? () => go(-1) : undefined}
          onNext={index < items.length - 1 ? () => go(1) : undefined}
        />
      </div>

      {confirming && !ended && (
        <SubmitDialog
          total={items.length}
          answered={answeredCount}
          busy={state.submitBusy}
          error={state.submitError}
          onConfirm={() => void session.submit()}
          onClose={() => setConfirming(false)}
        />
      )}
    </div>
  );
}
