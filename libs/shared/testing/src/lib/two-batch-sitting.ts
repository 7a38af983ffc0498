/**
 * A small exam plan for the after-the-sitting tests and benchmark: two subjects in two batches
 * (四个场次), and a paper of four single-choice items of 25 points each (full marks 100), so a
 * candidate's score is 25 × the items answered right.
 */
export const TWO_BATCH_SUBJECTS = [
  { subjectCode: 'ZJSW', subjectName: '中级会计实务', durationMinutes: 165 },
  { subjectCode: 'JJF', subjectName: '经济法', durationMinutes: 120 },
];

export const TWO_BATCHES = [
  { batchCode: 'B1', date: '2026-09-05', startTimes: ['08:30', '13:30'] },
  { batchCode: 'B2', date: '2026-09-06', startTimes: ['08:30', '13:30'] },
];

export const OPTION_KEYS = ['A', 'B', 'C', 'D'];

/** Item Si (1-based) has the answer OPTION_KEYS[i - 1]. */
export const fourItemPaper = (subjectCode: string, examCode = `ZJ2026-${subjectCode}`) => ({
  paperId: `P-${subjectCode}`,
  examCode,
  items: OPTION_KEYS.map((correct, i) => ({ itemId: `S${i + 1}`, type: 'single' as const, score: 25, stem: `单选第${i + 1}题`, options: OPTION_KEYS.map((k) => ({ key: k, text: `选项${k}` })), correct: [correct] })),
});
