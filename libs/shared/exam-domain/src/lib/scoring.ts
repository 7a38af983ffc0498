/**
 * Objective scoring (客观题机器评分): 单选 and 判断 score when the one choice matches;
 * 多选 scores only on the exact set (the accounting exam gives no partial credit).
 */
export interface ObjectiveKey {
  itemId: string;
  type: 'single' | 'multiple' | 'judge';
  correct: string[];
  score: number;
}

export interface ObjectiveScore {
  total: number;
  answered: number;
  correct: number;
  perItem: Record<string, number>;
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

export function scoreObjective(keys: ObjectiveKey[], answers: Map<string, string[]>): ObjectiveScore {
  const perItem: Record<string, number> = {};
  let total = 0;
  let answered = 0;
  let correct = 0;
  for (const key of keys) {
    const selected = answers.get(key.itemId) ?? [];
    if (selected.length > 0) answered++;
    const right = selected.length > 0 && sameSet(selected, key.correct);
    const points = right ? key.score : 0;
    if (right) correct++;
    perItem[key.itemId] = points;
    total += points;
  }
  // Half-point scores (1.5 per 单选) must add up exactly.
  return { total: Math.round(total * 100) / 100, answered, correct, perItem };
}
