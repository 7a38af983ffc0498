import { scoreObjective, ObjectiveKey } from './scoring';

const keys: ObjectiveKey[] = [
  { itemId: 's1', type: 'single', correct: ['B'], score: 1.5 },
  { itemId: 's2', type: 'single', correct: ['A'], score: 1.5 },
  { itemId: 'm1', type: 'multiple', correct: ['A', 'C', 'D'], score: 2 },
  { itemId: 'j1', type: 'judge', correct: ['A'], score: 1 },
];

describe('scoreObjective', () => {
  it('scores exact matches and half points add up', () => {
    const result = scoreObjective(keys, new Map([['s1', ['B']], ['s2', ['A']], ['m1', ['D', 'A', 'C']], ['j1', ['A']]]));
    expect(result.total).toBe(6);
    expect(result.correct).toBe(4);
  });

  it('gives no partial credit on 多选 and counts unanswered items', () => {
    const result = scoreObjective(keys, new Map([['s1', ['C']], ['m1', ['A', 'C']]]));
    expect(result.total).toBe(0);
    expect(result.answered).toBe(2);
    expect(result.perItem).toEqual({ s1: 0, s2: 0, m1: 0, j1: 0 });
  });
});
