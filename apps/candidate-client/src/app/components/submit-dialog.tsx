import { useLanguage } from '@kaowu/ui';
import { useEffect, useRef, useState } from 'react';
import type { UiError } from '../exam-session';
import { errorText } from '../messages';
import { useT } from './use-t';

interface Props {
  total: number;
  answered: number;
  /** Numbers of the unanswered and of the marked (?) questions, in paper order. */
  unansweredNos: readonly number[];
  markedNos: readonly number[];
  /** Minutes until 交卷 is allowed (server clock), or 0 when it is. */
  minutesUntilAllowed: number;
  minMinutesBeforeHandIn: number;
  busy: boolean;
  error: UiError | null;
  onConfirm: () => void;
  onClose: () => void;
}

const list = (nos: readonly number[]) => (nos.length > 20 ? `${nos.slice(0, 20).join('、')}…` : nos.join('、'));

/**
 * 交卷: refused before the minimum time; sent back when nothing is answered; otherwise the
 * unanswered and marked counts, then a second confirmation ("cannot change afterwards").
 */
export function SubmitDialog({ total, answered, unansweredNos, markedNos, minutesUntilAllowed, minMinutesBeforeHandIn, busy, error, onConfirm, onClose }: Props) {
  const t = useT();
  const { lang } = useLanguage();
  const [step, setStep] = useState<1 | 2>(1);
  const firstButton = useRef<HTMLButtonElement>(null);
  const unanswered = total - answered;
  const refused = minutesUntilAllowed > 0 ? t('submit.tooEarly', { minutes: minMinutesBeforeHandIn, left: minutesUntilAllowed }) : answered === 0 ? t('submit.nothing') : null;

  useEffect(() => {
    firstButton.current?.focus();
  }, [step]);

  return (
    <div className="backdrop">
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="submit-title"
        aria-describedby="submit-summary"
        data-testid="submit-dialog"
        onKeyDown={(e) => {
          if (e.key === 'Escape' && !busy) onClose();
          // A modal dialog keeps Tab inside itself.
          if (e.key === 'Tab') {
            const buttons = [...e.currentTarget.querySelectorAll<HTMLButtonElement>('button:not(:disabled)')];
            const first = buttons[0];
            const last = buttons.at(-1);
            if (e.shiftKey && document.activeElement === first) {
              e.preventDefault();
              last?.focus();
            } else if (!e.shiftKey && document.activeElement === last) {
              e.preventDefault();
              first?.focus();
            }
          }
        }}
      >
        <h2 id="submit-title">{refused ? t('submit.notYet') : step === 1 ? t('submit.title') : t('submit.finalTitle')}</h2>
        <p id="submit-summary">{t('submit.summary', { total, answered, unanswered })}</p>
        {refused ? (
          <p className="warn" role="alert">
            {refused}
          </p>
        ) : (
          <>
            {step === 1 && unanswered > 0 && (
              <>
                <p className="warn">{t('submit.unansweredWarn', { unanswered })}</p>
                <p className="hint">{t('submit.unansweredList', { list: list(unansweredNos) })}</p>
              </>
            )}
            {step === 1 && markedNos.length > 0 && <p className="warn">{t('submit.markedWarn', { marked: markedNos.length, list: list(markedNos) })}</p>}
            {step === 2 && <p className="warn">{t('submit.finalText')}</p>}
          </>
        )}
        {error && (
          <p role="alert" className="error">
            {errorText(error, lang)}
          </p>
        )}
        <div className="actions">
          {refused ? (
            <button type="button" ref={firstButton} onClick={onClose}>
              {t('submit.back')}
            </button>
          ) : step === 1 ? (
            <>
              <button type="button" ref={firstButton} onClick={onClose}>
                {t('submit.continue')}
              </button>
              <button type="button" className="primary" onClick={() => setStep(2)}>
                {t('submit.next')}
              </button>
            </>
          ) : (
            <>
              <button type="button" ref={firstButton} onClick={onClose} disabled={busy}>
                {t('submit.back')}
              </button>
              <button type="button" className="primary danger" onClick={onConfirm} disabled={busy}>
                {busy ? t('submit.busy') : t('submit.confirm')}
              </button>
            </>
          )}
        </div>
      </div>
    </div>
  );
}
