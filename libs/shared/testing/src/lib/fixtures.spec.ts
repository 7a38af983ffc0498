import { RegisterCandidates } from '@kaowu/contracts';
import { isValidResidentIdNo } from '@kaowu/exam-domain';
import { demoCandidates, demoPaper, demoVenue, seededRandom } from './fixtures';
import { MockExamClock } from './sitting';

describe('fixtures', () => {
  it('makes a roster the province accepts: valid ID numbers, one candidate per seat, rooms that exist', () => {
    const venue = demoVenue('V001', 95);
    const roster = demoCandidates('V001', 95);
    expect(RegisterCandidates.safeParse(roster).success).toBe(true);
    expect(roster.candidates.every((c) => isValidResidentIdNo(c.idNo))).toBe(true);
    const seats = new Set(roster.candidates.map((c) => `${c.roomCode}/${c.seatNo}`));
    expect(seats.size).toBe(95);
    const rooms = new Set(venue.rooms.map((r) => r.roomCode));
    expect(roster.candidates.every((c) => rooms.has(c.roomCode))).toBe(true);
    expect(venue.rooms).toHaveLength(4);
  });

  it('is deterministic for a seed', () => {
    const a = seededRandom(5);
    const b = seededRandom(5);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
    expect(demoPaper('P', 'E').items.filter((i) => i.type === 'multiple').every((i) => i.correct.length >= 2)).toBe(true);
  });

  it('the mock exam clock runs compressed after re-anchoring', async () => {
    const clock = new MockExamClock(new Date('2026-09-09T00:00:00Z'));
    clock.set(new Date('2026-09-09T01:00:00Z'), 600);
    await new Promise((r) => setTimeout(r, 100));
    const elapsed = clock.now().getTime() - Date.parse('2026-09-09T01:00:00Z');
    expect(elapsed).toBeGreaterThanOrEqual(60_000);
    expect(clock.realMsUntil(new Date('2026-09-09T02:00:00Z'))).toBeLessThan(6000);
  });
});
