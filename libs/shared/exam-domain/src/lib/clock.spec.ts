import { ManualClock, ScaledClock, realDelayUntil } from './clock';

describe('clocks', () => {
  it('a scaled clock runs faster than real time', () => {
    let real = 1_000;
    const clock = new ScaledClock(new Date('2026-09-09T00:00:00Z'), 60, () => real);
    real += 1_000; // one real second = one virtual minute
    expect(clock.now().toISOString()).toBe('2026-09-09T00:01:00.000Z');
    expect(realDelayUntil(clock, new Date('2026-09-09T00:11:00Z'))).toBe(10_000);
  });
  it('a manual clock moves only when told', () => {
    const clock = new ManualClock(new Date('2026-09-09T00:00:00Z'));
    clock.advanceMinutes(90);
    expect(clock.now().toISOString()).toBe('2026-09-09T01:30:00.000Z');
  });
});
