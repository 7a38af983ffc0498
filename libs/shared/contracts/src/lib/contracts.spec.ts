import { PaperContent, SaveAnswer, VenuePackageManifest, parseOrError, CandidateLogin, Item } from '../index';

describe('contracts', () => {
  it('names the field at fault', () => {
    const r = parseOrError(SaveAnswer, { attemptId: 'a', leaseEpoch: 1, seq: 0, itemId: 'S1', value: { kind: 'choice', selected: ['A'] } }, '作答保存');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('VALIDATION_FAILED');
      expect(r.error.field).toBe('seq');
      expect(r.error.message).toContain('作答保存');
    }
  });

  it('accepts a well-formed login and refuses a ticket number with letters', () => {
    expect(CandidateLogin.safeParse({ ticketNo: '20260000000001', idNo: '11010519491231002X' }).success).toBe(true);
    const bad = parseOrError(CandidateLogin, { ticketNo: '2026ABC', idNo: '11010519491231002X' }, '考生登录');
    expect(!bad.ok && bad.error.field).toBe('ticketNo');
  });

  it('drops answer keys from an item: the paper a venue holds cannot carry them', () => {
    const item = Item.parse({ itemId: 'S1', no: 1, type: 'single', stem: '题干', score: 1, options: [{ key: 'A', text: '甲' }, { key: 'B', text: '乙' }], correct: ['A'] });
    expect(item).not.toHaveProperty('correct');
    const paper = PaperContent.safeParse({ format: 'kaowu.paper', version: 2, paperId: 'P', subjectName: 'x', items: [item] });
    expect(paper.success).toBe(false); // versioned: an unknown version is refused
  });

  it('refuses a manifest whose hash is not a SHA-256 digest', () => {
    const r = VenuePackageManifest.safeParse({ format: 'kaowu.venue-package', version: 1, roster: { sha256: 'abc' } });
    expect(r.success).toBe(false);
  });
});
