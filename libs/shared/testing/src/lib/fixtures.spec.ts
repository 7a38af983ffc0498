import { CreatePaper, Item, RegisterCandidates } from '@kaowu/contracts';
import { checkAnswerFitsItem, isAnswerEmpty, isValidResidentIdNo } from '@kaowu/exam-domain';
import { ACCOUNTING_PAPER, demoCandidates, demoPaper, demoVenue, seededRandom } from './fixtures';
import { randomAnswer } from './simulated-candidate';
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

  it('keeps the 20-item objective paper by default and adds a 计算分析题 and a 综合题 on request', () => {
    expect(demoPaper('P', 'E').items).toHaveLength(20);
    const paper = demoPaper('P-ACC', 'E', ACCOUNTING_PAPER);
    expect(CreatePaper.safeParse(paper).success).toBe(true);
    const cases = paper.items.filter((i) => i.type === 'calculation' || i.type === 'comprehensive');
    expect(cases.map((i) => i.type)).toEqual(['calculation', 'comprehensive']);
    for (const c of cases) if ('requirements' in c) expect(c.requirements.length).toBeGreaterThanOrEqual(2);
    expect(cases.some((c) => 'requirements' in c && c.requirements.some((r) => r.answer.kind === 'journal'))).toBe(true);
  });

  it('simulated candidates answer every item type of the paper validly', () => {
    const rnd = seededRandom(3);
    const items = demoPaper('P-ACC', 'E', ACCOUNTING_PAPER).items.map((it, i) => Item.parse({ ...it, no: i + 1 }));
    for (const item of items)
      for (let n = 0; n < 5; n++) {
        const value = randomAnswer(item, rnd);
        expect(checkAnswerFitsItem(item, value)).toBeNull();
        expect(isAnswerEmpty(value)).toBe(false);
      }
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
