import { effectOf, meanScore, resultKey, scoreDistribution, subjectResultStatus, voidedResults } from './incident-decision';

describe('违规违纪处理: decision → effect on the results', () => {
  it('voids the subject, the whole sitting, or nothing', () => {
    expect(effectOf('void_subject')).toBe('void_subject');
    expect(effectOf('void_sitting')).toBe('void_sitting');
    expect(effectOf('no_action')).toBe('none');
    expect(effectOf('other')).toBe('none');
  });

  it('voids the incident’s own session for 该科目考试成绩无效, every session of the sitting for 当次全部科目', () => {
    const sessions = ['B1-ZJSW', 'B1-JJF', 'B2-CWGL'];
    const voided = voidedResults(
      [
        { candidateId: 'c1', sessionId: 'B1-JJF', decision: 'void_subject' },
        { candidateId: 'c2', sessionId: 'B1-ZJSW', decision: 'void_sitting' },
        { candidateId: 'c3', sessionId: 'B1-ZJSW', decision: 'no_action' },
        { candidateId: 'c4', sessionId: 'B1-ZJSW', decision: 'other' },
      ],
      sessions,
    );
    expect([...voided].sort()).toEqual([resultKey('B1-JJF', 'c1'), ...sessions.map((s) => resultKey(s, 'c2'))].sort());
    expect(voided.has(resultKey('B1-ZJSW', 'c1'))).toBe(false);
  });

  it('reports a voided attempt as 成绩无效, an absent one as 缺考 even when voided, nothing arrived as not received', () => {
    expect(subjectResultStatus('ended', false)).toBe('scored');
    expect(subjectResultStatus('submitted', true)).toBe('voided');
    expect(subjectResultStatus('absent', true)).toBe('absent');
    expect(subjectResultStatus(null, true)).toBe('not_received');
  });
});

describe('成绩分布', () => {
  it('puts scores in ten equal bands, a full score in the last', () => {
    const d = scoreDistribution([0, 9.99, 10, 55, 100, 100], 100);
    expect(d).toHaveLength(10);
    expect(d[0]).toEqual({ from: 0, to: 10, count: 2 });
    expect(d[1]).toEqual({ from: 10, to: 20, count: 1 });
    expect(d[5].count).toBe(1);
    expect(d[9]).toEqual({ from: 90, to: 100, count: 2 });
    expect(d.reduce((n, b) => n + b.count, 0)).toBe(6);
  });
  it('clamps out-of-range scores and refuses a bad bucket count', () => {
    expect(scoreDistribution([-1, 12], 10, 2).map((b) => b.count)).toEqual([1, 1]);
    expect(() => scoreDistribution([], 10, 0)).toThrow(RangeError);
  });
  it('averages to two decimals', () => {
    expect(meanScore([])).toBeNull();
    expect(meanScore([1, 2, 2])).toBe(1.67);
  });
});
