import { useLanguage } from '@kaowu/ui';
import { useEffect, useRef, useState } from 'react';
import type { UiError } from '../exam-session';
import { errorText } from '../messages';
import { useT } from './use-t';

interface Props {
  total: number;
  answered: number;
  busy: boolean;
  error: UiError | null;
  onConfirm: () => void;
  onClose: () => void;
}

/** 交卷 takes two confirmations: the unanswered count first, then "cannot change afterwards". */
export function SubmitDialog({ total, answered, busy, error, onConfirm, onClose }: Props) {
  const t = useT();
  const { lang } = useLanguage();
  const [step, setStep] = useState<1 | 2>(1);
  const firstButton = useRef<HTMLButtonElement>(null);
  const unanswered = total - answered;

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
        onKeyDown={(e) => {
          if (e.key === 'Escape' && !busy) onClose();
        }}
      >
        <h2 id="submit-title">{step === 1 ? t('submit.title') : t('submit.finalTitle')}</h2>
        <p>{t('submit.summary', { total, answered, unanswered })}</p>
        {step === 1 && unanswered > 0 && <p className="warn">{t('submit.unansweredWarn', { unanswered })}</p>}
        {step === 2 && <p className="warn">{t('submit.finalText')}</p>}
        {error && (
          <p role="alert" className="error">
            {errorText(error, lang)}
          </p>
        )}
        <div className="actions">
          {step === 1 ? (
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
