import { autoSealAt, confirmationCounts, roomClosedAt } from './room-sealing';

describe('room sealing', () => {
  const end = new Date('2026-09-09T04:00:00Z');

  it('closes a room at the scheduled end plus the most credited minutes', () => {
    expect(roomClosedAt(end, 0).toISOString()).toBe('2026-09-09T04:00:00.000Z');
    expect(roomClosedAt(end, 17).toISOString()).toBe('2026-09-09T04:17:00.000Z');
    expect(roomClosedAt(end, -3).toISOString()).toBe('2026-09-09T04:00:00.000Z');
  });

  it('waits for the confirmation at most the grace, and never so long that the 30-minute deadline is at risk', () => {
    expect(autoSealAt(end, 10).toISOString()).toBe('2026-09-09T04:10:00.000Z');
    expect(autoSealAt(end, 0).toISOString()).toBe('2026-09-09T04:00:00.000Z');
    expect(autoSealAt(end, 60).toISOString()).toBe('2026-09-09T04:25:00.000Z');
  });

  it('counts a confirmation only up to the moment the room is sealed anyway', () => {
    expect(confirmationCounts(new Date('2026-09-09T04:09:59Z'), end, 10)).toBe(true);
    expect(confirmationCounts(new Date('2026-09-09T04:10:00Z'), end, 10)).toBe(true);
    expect(confirmationCounts(new Date('2026-09-09T04:10:01Z'), end, 10)).toBe(false);
    expect(confirmationCounts(new Date('2026-09-09T04:00:01Z'), end, 0)).toBe(false);
  });
});
