import { RoomTimeline } from './room-timeline';

const T0 = new Date('2026-09-09T08:30:00+08:00');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const timeline = new RoomTimeline({ startsAt: T0, durationMinutes: 165, lateLoginCutoffMinutes: 30, minMinutesBeforeHandIn: 90 });

describe('RoomTimeline (work plan 四)', () => {
  it('moves through the phases on the server clock and never starts early', () => {
    expect(timeline.phaseAt(at(-91))).toBe('scheduled');
    expect(timeline.phaseAt(at(-90))).toBe('waiting_login');
    expect(timeline.phaseAt(at(-30))).toBe('login_open');
    expect(timeline.phaseAt(new Date(T0.getTime() - 1))).toBe('login_open');
    expect(timeline.phaseAt(T0)).toBe('in_progress');
    expect(timeline.phaseAt(at(165))).toBe('ended');
  });

  it('stays in progress while a credited candidate is still answering', () => {
    expect(timeline.phaseAt(at(170), timeline.candidateEndsAt(12))).toBe('in_progress');
    expect(timeline.candidateEndsAt(12).toISOString()).toBe(at(177).toISOString());
  });

  it('refuses login before T-30 and a first login 30 minutes after start (缺考)', () => {
    expect(timeline.loginDecision(at(-31), false)).toEqual({ ok: false, reason: 'too_early' });
    expect(timeline.loginDecision(at(-30), false)).toEqual({ ok: true });
    expect(timeline.loginDecision(at(29), false)).toEqual({ ok: true });
    expect(timeline.loginDecision(at(30), false)).toEqual({ ok: false, reason: 'too_late' });
    // a candidate already in may log in again after the cutoff (reconnect, 换机)
    expect(timeline.loginDecision(at(60), true)).toEqual({ ok: true });
    expect(timeline.loginDecision(at(165), true)).toEqual({ ok: false, reason: 'ended' });
  });

  it('allows hand-in only after the minimum time and answers only inside the window', () => {
    expect(timeline.canHandIn(at(89))).toBe(false);
    expect(timeline.canHandIn(at(90))).toBe(true);
    expect(timeline.acceptsAnswers(at(-1))).toBe(false);
    expect(timeline.acceptsAnswers(at(164))).toBe(true);
    expect(timeline.acceptsAnswers(at(165))).toBe(false);
    expect(timeline.acceptsAnswers(at(165), 5)).toBe(true);
    expect(timeline.reminderAt().toISOString()).toBe(at(155).toISOString());
  });
});
