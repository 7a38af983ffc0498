import { isCaseItem } from '@kaowu/contracts';
import { Countdown, LanguageSwitch, formatRemaining, remainingMs, serverNow, useLanguage } from '@kaowu/ui';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ExamSession, ExamState } from '../exam-session';
import { errorText, type MessageKey } from '../messages';
import { AnswerFieldTracker, installAnswerClipboard, type ClipboardRefusal } from '../tools/answer-field';
import { isAnswered } from './answers';
import { CalculatorPanel } from './calculator-panel';
import { CandidatePhotoView } from './candidate-photo';
import { ExamToolbar, type FontSize } from './exam-toolbar';
import { ItemView } from './item-view';
import { PauseOverlay } from './pause-overlay';
import type { Highlights } from './material-view';
import { QuestionNav } from './question-nav';
import { ConnectionBadge } from './status-bar';
import { SubmitDialog } from './submit-dialog';
import { SymbolHelper } from './symbol-helper';
import { useT } from './use-t';

const TEN_MINUTES = 10 * 60_000;
/** How long 恢复 / 补时 stays on screen. */
const TIME_NOTICE_MS = 8_000;

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

/** Keys typed here belong to the control: fields, selects, the calculator, the requirement tabs. */
function ownsKeys(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.tagName === 'TEXTAREA' || target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.closest('[data-own-keys]') !== null;
}

export function ExamScreen({ state, session }: { state: ExamState; session: ExamSession }) {
  const t = useT();
  const { lang } = useLanguage();
  const { paper, candidate, answers, offsetMs, ended, pause, timeNotice } = state;
  const sessionView = state.session;
  const items = useMemo(() => paper?.items ?? [], [paper]);
  const [index, setIndex] = useState(0);
  const [confirming, setConfirming] = useState(false);
  const [marked, setMarked] = useState<ReadonlySet<string>>(new Set());
  const [highlights, setHighlights] = useState<Readonly<Record<string, Highlights>>>({});
  const [navOpen, setNavOpen] = useState(true);
  const [fontSize, setFontSize] = useState<FontSize>('medium');
  const [zoom, setZoom] = useState(100);
  const [calculatorOpen, setCalculatorOpen] = useState(false);
  const [symbolsOpen, setSymbolsOpen] = useState(false);
  const [clipboardNote, setClipboardNote] = useState<ClipboardRefusal | null>(null);
  const [tracker] = useState(() => new AnswerFieldTracker());
  const endsAt = sessionView?.endsAt ?? new Date(0).toISOString();
  // While paused the clock stands still at the moment of the pause: no time-up, no reminder yet.
  const frozenMs = pause ? Date.parse(endsAt) - Date.parse(pause.since) : null;
  const endReached = useTimeReached(endsAt, offsetMs);
  const tenMinutesReached = useTimeReached(endsAt, offsetMs, TEN_MINUTES);
  const timeUp = endReached && frozenMs === null;
  const lastTenMinutes = frozenMs === null ? tenMinutesReached : frozenMs <= TEN_MINUTES;
  const readOnly = Boolean(ended) || timeUp || Boolean(pause);
  const item = items[Math.min(index, items.length - 1)];
  const answeredCount = items.filter((i) => isAnswered(answers[i.itemId])).length;

  const go = useCallback((delta: number) => setIndex((i) => Math.max(0, Math.min(items.length - 1, i + delta))), [items.length]);

  // Keyboard: A–H choose on the current choice item, ←/→ (or PageUp/PageDown) move between items.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // An input method composing text owns every key.
      if (e.isComposing || e.keyCode === 229) return;
      if (confirming || e.ctrlKey || e.altKey || e.metaKey || ownsKeys(e.target) || !item) return;
      if (e.key === 'ArrowRight' || e.key === 'PageDown') go(1);
      else if (e.key === 'ArrowLeft' || e.key === 'PageUp') go(-1);
      else if (/^[a-h]$/i.test(e.key) && 'options' in item && !readOnly) session.choose(item.itemId, e.key.toUpperCase());
      else return;
      e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [confirming, item, readOnly, go, session]);

  // Copy / cut / paste only within the candidate's own answers; remember the field used last.
  useEffect(() => {
    const offClipboard = installAnswerClipboard(document, setClipboardNote);
    const offTracker = tracker.install(document);
    return () => {
      offClipboard();
      offTracker();
    };
  }, [tracker]);

  useEffect(() => {
    if (!clipboardNote) return;
    const timer = setTimeout(() => setClipboardNote(null), 4000);
    return () => clearTimeout(timer);
  }, [clipboardNote]);

  useEffect(() => {
    if (!timeNotice) return;
    const timer = setTimeout(() => session.dismissTimeNotice(timeNotice.id), TIME_NOTICE_MS);
    return () => clearTimeout(timer);
  }, [timeNotice, session]);

  const paused = Boolean(pause);
  useEffect(() => {
    if (ended || paused) {
      setConfirming(false);
      setCalculatorOpen(false);
    }
  }, [ended, paused]);

  if (!paper || !candidate || !sessionView || !item) return null;

  const toggleMark = (itemId: string) =>
    setMarked((m) => {
      const next = new Set(m);
      if (!next.delete(itemId)) next.add(itemId);
      return next;
    });
  const handInAt = Date.parse(sessionView.startsAt) + sessionView.minMinutesBeforeHandIn * 60_000;
  const minutesUntilAllowed = Math.max(0, Math.ceil((handInAt - serverNow(offsetMs)) / 60_000));

  return (
    <>
      <div className={`exam font-${fontSize}`} inert={paused && !ended}>
        <header className="title-bar">
          <div className="candidate-card" aria-label={t('exam.details')} role="group">
            <CandidatePhotoView candidate={candidate} className="photo" />
            <span className="who">
              <span>
                {candidate.name} · {candidate.ticketNo}
              </span>
              <small>
                {candidate.idNoMasked} · {t('exam.seat', { seat: `${candidate.roomCode}-${candidate.seatNo}` })}
              </small>
            </span>
          </div>
          <strong className="subject">{paper.subjectName}</strong>
          <div className="title-right">
            {ended ? (
              <span className="remaining is-ended" data-testid="exam-over">
                {t(ended.reason === 'submitted' ? 'ended.submitted' : 'ended.over')}
              </span>
            ) : frozenMs !== null ? (
              <span className="remaining is-paused">
                {t('exam.remaining')}{' '}
                <span className="kw-countdown" role="timer" data-testid="remaining">
                  {formatRemaining(frozenMs)}
                </span>
              </span>
            ) : (
              <span className="remaining">
                {t('exam.remaining')} <Countdown endsAt={sessionView.endsAt} offsetMs={offsetMs} warnBelowMs={TEN_MINUTES} data-testid="remaining" />
              </span>
            )}
            <span className={`save-state ${state.saving ? 'is-saving' : 'is-saved'}`} data-testid="save-state" aria-live="polite">
              {state.saving ? t('exam.saving') : t('exam.saved')}
            </span>
            <ConnectionBadge connection={state.connection} />
            <LanguageSwitch />
            <button
              type="button"
              className="primary danger"
              onClick={() => {
                setConfirming(true);
                // The minimum time is checked on the server clock: refresh the offset first.
                void session.resyncClock();
              }}
              disabled={readOnly}
            >
              {t('exam.submit')}
            </button>
          </div>
        </header>

        <ExamToolbar
          navOpen={navOpen}
          onToggleNav={() => setNavOpen((v) => !v)}
          fontSize={fontSize}
          onFontSize={setFontSize}
          zoom={zoom}
          onZoom={setZoom}
          calculatorOpen={calculatorOpen}
          onToggleCalculator={() => setCalculatorOpen((v) => !v)}
          symbolsOpen={symbolsOpen}
          onToggleSymbols={() => setSymbolsOpen((v) => !v)}
          disabled={readOnly}
        />
        {symbolsOpen && !readOnly && <SymbolHelper onInsert={(text) => tracker.insert(text)} onScript={(kind) => tracker.script(kind)} />}

        {ended && (
          <section className="banner ended" role="status">
            <h1>{ended.reason === 'submitted' ? t('ended.submitted') : t('ended.over')}</h1>
            <p>{t(ended.reason === 'submitted' ? 'ended.submittedText' : ended.reason === 'forced' ? 'ended.forcedText' : 'ended.timeUpText')}</p>
          </section>
        )}
        {/* Notices float over the paper: a notice coming or going never moves what the candidate is about to click. */}
        <div className="notice-stack">
          {state.roomMessages.map((m) => (
            <div key={m.at} className="banner info room-message" role="alert" data-testid="room-message">
              <strong>{t('exam.roomMessage')}</strong>
              <span>{m.message}</span>
              <button type="button" onClick={() => session.dismissRoomMessage(m.at)}>
                {t('exam.roomMessageOk')}
              </button>
            </div>
          ))}
          {!ended && (timeUp || lastTenMinutes) && (
            <p className="banner warn" role="status">
              {t(timeUp ? 'exam.timeUp' : 'exam.tenMinutes')}
            </p>
          )}
          {!ended && timeNotice && (
            <p className="banner info" role="status" data-testid="time-notice">
              {t(`time.${timeNotice.change}`, { minutes: timeNotice.minutes })}
            </p>
          )}
          {!ended && state.connection === 'disconnected' && (
            <p className="banner offline" role="status" data-testid="offline-banner">
              {state.pendingCount > 0 ? t('exam.offlinePending', { count: state.pendingCount }) : t('exam.offline')}
            </p>
          )}
          {!ended && state.focusLosses > 0 && (
            <p className="banner warn" data-testid="focus-warning">
              {t('exam.focusLost', { count: state.focusLosses })}
            </p>
          )}
          {!ended && state.saveError && (
            <p className="banner error" role="alert">
              {t('exam.saveError', { message: errorText(state.saveError, lang) })}
            </p>
          )}
          {clipboardNote && (
            <p className="banner warn" role="status" data-testid="clipboard-note">
              {t(`exam.clipboard.${clipboardNote}` as MessageKey)}
            </p>
          )}
        </div>

        <div className="exam-body">
          {navOpen && (
            <QuestionNav
              items={items}
              answers={answers}
              unsavedItems={state.unsavedItems}
              marked={marked}
              currentId={item.itemId}
              onJump={(itemId) => setIndex(items.findIndex((i) => i.itemId === itemId))}
            />
          )}
          <main className="paper-area" style={zoom === 100 ? undefined : { zoom: zoom / 100 }}>
            <ItemView
              key={item.itemId}
              item={item}
              value={answers[item.itemId]}
              unsaved={state.unsavedItems.has(item.itemId)}
              readOnly={readOnly}
              marked={marked.has(item.itemId)}
              highlights={highlights[item.itemId] ?? {}}
              onHighlights={(next) => setHighlights((h) => ({ ...h, [item.itemId]: next }))}
              onToggleMark={() => toggleMark(item.itemId)}
              onChoose={(key) => session.choose(item.itemId, key)}
              onText={(text) => session.setText(item.itemId, text)}
              onPart={(reqId, answer) => (isCaseItem(item) ? session.setCasePart(item.itemId, reqId, answer) : undefined)}
              onPrev={index > 0 ? () => go(-1) : undefined}
              onNext={index < items.length - 1 ? () => go(1) : undefined}
            />
          </main>
          {calculatorOpen && <CalculatorPanel onClose={() => setCalculatorOpen(false)} onInsert={(text) => tracker.insert(text)} />}
        </div>

        {confirming && !ended && (
          <SubmitDialog
            total={items.length}
            answered={answeredCount}
            unansweredNos={items.filter((i) => !isAnswered(answers[i.itemId])).map((i) => i.no)}
            markedNos={items.filter((i) => marked.has(i.itemId)).map((i) => i.no)}
            minutesUntilAllowed={minutesUntilAllowed}
            minMinutesBeforeHandIn={sessionView.minMinutesBeforeHandIn}
            busy={state.submitBusy}
            error={state.submitError}
            onConfirm={() => void session.submit()}
            onClose={() => setConfirming(false)}
          />
        )}
      </div>
      {pause && !ended && <PauseOverlay pause={pause} endsAt={sessionView.endsAt} />}
    </>
  );
}
