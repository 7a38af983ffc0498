import { ROOM_PROCEDURE, procedureDueAt, procedureState } from './room-procedure';
import { RoomTimeline } from './room-timeline';

const T0 = new Date('2026-09-09T02:00:00Z');
const timeline = new RoomTimeline({ startsAt: T0, durationMinutes: 165, lateLoginCutoffMinutes: 15, minMinutesBeforeHandIn: 90 });
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describe('考试操作规程 (the 17 steps of a room session)', () => {
  it('numbers the 17 steps of the work plan in order, due from T-90 to after the end', () => {
    expect(ROOM_PROCEDURE.map((s) => s.no)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    const due = ROOM_PROCEDURE.map((s) => procedureDueAt(s, timeline).getTime());
    expect(due).toEqual([...due].sort((a, b) => a - b));
    expect(procedureDueAt(ROOM_PROCEDURE[0], timeline)).toEqual(at(-90));
    expect(procedureDueAt(ROOM_PROCEDURE[8], timeline)).toEqual(at(-10));
    // 提醒 10 minutes before the end, which moves with the latest candidate's credited end
    expect(procedureDueAt(ROOM_PROCEDURE[13], timeline)).toEqual(at(155));
    expect(procedureDueAt(ROOM_PROCEDURE[13], timeline, at(175))).toEqual(at(165));
  });

  it('is upcoming before its time, due from then, late 15 minutes after, and done whenever its evidence is there', () => {
    expect(procedureState(at(-10), false, at(-11))).toBe('upcoming');
    expect(procedureState(at(-10), false, at(-10))).toBe('due');
    expect(procedureState(at(-10), false, at(4))).toBe('due');
    expect(procedureState(at(-10), false, at(5))).toBe('late');
    expect(procedureState(at(-10), true, at(-30))).toBe('done');
  });
});
