/**
 * Time comes from an injected clock, never `Date.now()` in domain code: that is what lets the
 * mock exam run a 2-hour session in minutes and the timeline tests pin any instant.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that runs `speed` times faster than real time from an anchor (compressed mock exams). */
export class ScaledClock implements Clock {
  private readonly realAnchor: number;
  constructor(
    private readonly virtualAnchor: Date,
    private readonly speed: number,
    private readonly realNow: () => number = () => Date.now(),
  ) {
    if (!(speed > 0)) throw new Error('clock speed must be > 0');
    this.realAnchor = realNow();
  }
  now(): Date {
    return new Date(this.virtualAnchor.getTime() + (this.realNow() - this.realAnchor) * this.speed);
  }
  /** Real milliseconds until the clock shows `at` (for timers). */
  realDelayUntil(at: Date): number {
    return Math.max(0, (at.getTime() - this.now().getTime()) / this.speed);
  }
}

/** A clock set by hand (tests). */
export class ManualClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(at: Date): void {
    this.current = new Date(at.getTime());
  }
  advanceMinutes(minutes: number): void {
    this.current = new Date(this.current.getTime() + minutes * 60_000);
  }
}

/** Real ms to wait until a clock reaches `at`; scaled clocks divide by their speed. */
export function realDelayUntil(clock: Clock, at: Date): number {
  if (clock instanceof ScaledClock) return clock.realDelayUntil(at);
  return Math.max(0, at.getTime() - clock.now().getTime());
}
