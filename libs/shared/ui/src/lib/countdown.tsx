import { useEffect, useState } from 'react';
import { serverNow } from './server-clock';

/** `HH:MM:SS`, rounded up to the second so 00:00:00 shows only once time is really over. */
export function formatRemaining(ms: number): string {
  const total = Number.isFinite(ms) ? Math.max(0, Math.ceil(ms / 1000)) : 0;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return [h, m, s].map((n) => String(n).padStart(2, '0')).join(':');
}

/** Milliseconds until `endsAt` on the server's clock, never negative. */
export function remainingMs(endsAt: string, offsetMs: number, clientNow: number = Date.now()): number {
  const end = Date.parse(endsAt);
  if (Number.isNaN(end)) return 0;
  return Math.max(0, end - serverNow(offsetMs, clientNow));
}

/** The client clock, re-read every `tickMs`. */
export function useNow(tickMs = 250): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), tickMs);
    return () => clearInterval(timer);
  }, [tickMs]);
  return now;
}

export function useRemaining(endsAt: string, offsetMs: number, tickMs = 250): number {
  return remainingMs(endsAt, offsetMs, useNow(tickMs));
}

export interface CountdownProps {
  endsAt: string;
  offsetMs: number;
  /** Adds the `is-warning` class below this many ms (e.g. the 10-minute reminder). */
  warnBelowMs?: number;
  className?: string;
  'data-testid'?: string;
}

export function Countdown({ endsAt, offsetMs, warnBelowMs, className, 'data-testid': testId }: CountdownProps) {
  const left = useRemaining(endsAt, offsetMs);
  const warning = warnBelowMs !== undefined && left <= warnBelowMs;
  const classes = ['kw-countdown', warning ? 'is-warning' : '', className ?? ''].filter(Boolean).join(' ');
  return (
    <span className={classes} role="timer" data-testid={testId}>
      {formatRemaining(left)}
    </span>
  );
}
