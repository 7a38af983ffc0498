import { formatRemaining } from '@kaowu/ui';
import { useEffect, useRef } from 'react';
import type { PauseState } from '../exam-session';
import { useT } from './use-t';

/**
 * 考试暂停: covers the whole exam screen while the candidate's clock is stopped. The screen behind
 * is inert (no click or key reaches it); the remaining time stands still at the moment of the pause.
 */
export function PauseOverlay({ pause, endsAt }: { pause: PauseState; endsAt: string }) {
  const t = useT();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.focus(), []);
  const frozen = Date.parse(endsAt) - Date.parse(pause.since);
  return (
    <div className="pause-overlay" data-testid="pause-overlay">
      <div className="pause-box" role="alertdialog" aria-modal="true" aria-labelledby="pause-title" aria-describedby="pause-text" tabIndex={-1} ref={box}>
        <h1 id="pause-title">{t('pause.title')}</h1>
        <p id="pause-text">{t('pause.text')}</p>
        {pause.reason && <p className="pause-reason">{t('pause.reason', { reason: pause.reason })}</p>}
        <p className="pause-time">
          {t('pause.remaining')}{' '}
          <span role="timer" data-testid="paused-remaining">
            {formatRemaining(frozen)}
          </span>
        </p>
      </div>
    </div>
  );
}
