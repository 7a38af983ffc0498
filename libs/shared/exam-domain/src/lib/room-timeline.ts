/**
 * The room session timeline of the work plan's 四 table, on the venue server's clock:
 *   T-90 machines to 等待登录 · T-30 sign-in and login open · T0 start (never earlier)
 *   · each candidate ends at T0 + duration + credited minutes · late login refused after the cutoff (缺考).
 */
export type SessionPhase = 'scheduled' | 'waiting_login' | 'login_open' | 'in_progress' | 'ended';

export interface SessionTimes {
  startsAt: Date;
  durationMinutes: number;
  lateLoginCutoffMinutes: number;
  minMinutesBeforeHandIn: number;
}

export const WAITING_LOGIN_BEFORE_MIN = 90;
export const LOGIN_OPENS_BEFORE_MIN = 30;
export const REMINDER_BEFORE_END_MIN = 10;

const MIN = 60_000;
const addMinutes = (d: Date, m: number) => new Date(d.getTime() + m * MIN);

export class RoomTimeline {
  constructor(private readonly times: SessionTimes) {}

  get startsAt(): Date {
    return this.times.startsAt;
  }
  get waitingLoginAt(): Date {
    return addMinutes(this.times.startsAt, -WAITING_LOGIN_BEFORE_MIN);
  }
  get loginOpensAt(): Date {
    return addMinutes(this.times.startsAt, -LOGIN_OPENS_BEFORE_MIN);
  }
  get lateLoginCutoffAt(): Date {
    return addMinutes(this.times.startsAt, this.times.lateLoginCutoffMinutes);
  }
  get handInOpensAt(): Date {
    return addMinutes(this.times.startsAt, this.times.minMinutesBeforeHandIn);
  }
  /** The scheduled end without any credit. */
  get scheduledEndAt(): Date {
    return addMinutes(this.times.startsAt, this.times.durationMinutes);
  }
  /** A candidate's own end: start + duration + credited minutes (补时, 换机). */
  candidateEndsAt(creditedMinutes = 0): Date {
    return addMinutes(this.scheduledEndAt, creditedMinutes);
  }
  reminderAt(creditedMinutes = 0): Date {
    return addMinutes(this.candidateEndsAt(creditedMinutes), -REMINDER_BEFORE_END_MIN);
  }

  /** Phase of the room; `latestEndAt` is the latest candidate end (credit included). */
  phaseAt(now: Date, latestEndAt: Date = this.scheduledEndAt): SessionPhase {
    const t = now.getTime();
    if (t < this.waitingLoginAt.getTime()) return 'scheduled';
    if (t < this.loginOpensAt.getTime()) return 'waiting_login';
    if (t < this.startsAt.getTime()) return 'login_open';
    if (t < latestEndAt.getTime()) return 'in_progress';
    return 'ended';
  }

  /** Whether a candidate may log in now; the refusal names the rule. */
  loginDecision(now: Date, alreadyLoggedIn: boolean): { ok: true } | { ok: false; reason: 'too_early' | 'too_late' | 'ended' } {
    const t = now.getTime();
    if (t < this.loginOpensAt.getTime()) return { ok: false, reason: 'too_early' };
    if (t >= this.scheduledEndAt.getTime()) return { ok: false, reason: 'ended' };
    // 缺考: a first login after the cutoff is refused; a candidate already in may log in again (换机, reconnect).
    if (!alreadyLoggedIn && t >= this.lateLoginCutoffAt.getTime()) return { ok: false, reason: 'too_late' };
    return { ok: true };
  }

  canHandIn(now: Date): boolean {
    return now.getTime() >= this.handInOpensAt.getTime();
  }

  /** Whether an answer from this candidate may still be accepted at `now`. */
  acceptsAnswers(now: Date, creditedMinutes = 0): boolean {
    const t = now.getTime();
    return t >= this.startsAt.getTime() && t < this.candidateEndsAt(creditedMinutes).getTime();
  }
}
