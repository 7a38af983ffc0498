import type { IncidentDecisionKind, ScoreBucket, SubjectResultStatus } from '@kaowu/contracts';

/** What a decision does to the candidate's results (the stored raw scores never change). */
export type DecisionEffect = 'none' | 'void_subject' | 'void_sitting';

/**
 * 处理决定 → effect: 该科目考试成绩无效 voids the incident's subject, 当次全部科目考试成绩无效
 * every subject the candidate sat in the sitting; 不予处理 and 其他处理 (警告、记入诚信档案 …)
 * leave the scores as they are.
 */
export function effectOf(decision: IncidentDecisionKind): DecisionEffect {
  switch (decision) {
    case 'void_subject':
      return 'void_subject';
    case 'void_sitting':
      return 'void_sitting';
    case 'no_action':
    case 'other':
      return 'none';
  }
}

/** The current (latest) decision on an incident of a candidate in a session of the sitting. */
export interface CandidateDecision {
  candidateId: string;
  sessionId: string;
  decision: IncidentDecisionKind;
}

/** The key of one candidate's result in one session. */
export const resultKey = (sessionId: string, candidateId: string) => `${sessionId}\u0000${candidateId}`;

/**
 * The results the current decisions void, as `resultKey`s: the incident's own session for
 * void_subject; every session of the sitting for void_sitting (whatever the candidate sits).
 */
export function voidedResults(decisions: readonly CandidateDecision[], sittingSessions: readonly string[]): Set<string> {
  const voided = new Set<string>();
  for (const d of decisions) {
    const effect = effectOf(d.decision);
    if (effect === 'void_subject') voided.add(resultKey(d.sessionId, d.candidateId));
    if (effect === 'void_sitting') for (const s of sittingSessions) voided.add(resultKey(s, d.candidateId));
  }
  return voided;
}

/** How one roster place comes out: nothing arrived, 缺考, 成绩无效, or a score to report. */
export function subjectResultStatus(attemptStatus: string | null, voided: boolean): SubjectResultStatus {
  if (attemptStatus === null) return 'not_received';
  if (attemptStatus === 'absent') return 'absent';
  return voided ? 'voided' : 'scored';
}

/**
 * 成绩分布: `buckets` equal bands over 0 … fullMarks, the last one closed (a full score counts in
 * it). Scores outside the range are clamped into the first or last band.
 */
export function scoreDistribution(scores: readonly number[], fullMarks: number, buckets = 10): ScoreBucket[] {
  if (!Number.isInteger(buckets) || buckets < 1) throw new RangeError('buckets must be a positive integer');
  const top = fullMarks > 0 ? fullMarks : 1;
  const width = top / buckets;
  const round = (n: number) => Math.round(n * 100) / 100;
  const bands = Array.from({ length: buckets }, (_, i) => ({ from: round(i * width), to: round((i + 1) * width), count: 0 }));
  for (const s of scores) bands[Math.min(buckets - 1, Math.max(0, Math.floor(s / width)))].count++;
  return bands;
}

/** Average to two decimals; null for no scores. */
export function meanScore(scores: readonly number[]): number | null {
  if (scores.length === 0) return null;
  return Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 100) / 100;
}
