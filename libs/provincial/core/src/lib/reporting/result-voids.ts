import type { DataSource, EntityManager } from 'typeorm';
import type { IncidentDecisionKind } from '@kaowu/contracts';
import { resultKey, voidedResults } from '@kaowu/planning-domain';
import { sittingOfSession, sittingSessions } from './session-roster';

/** The current (latest) decision of every incident, as a CTE named `cur`. */
export const CURRENT_DECISION_CTE = 'cur AS (SELECT DISTINCT ON (incident_id) * FROM incident_decision ORDER BY incident_id, revision DESC)';

/**
 * 成绩无效: the (session, candidate) results voided by the current decisions on the incidents of
 * the sitting, as parallel arrays for SQL (`unnest($n::text[], $m::text[])`) and as a lookup.
 */
export interface VoidedResults {
  sessionIds: string[];
  candidateIds: string[];
  has(sessionId: string, candidateId: string): boolean;
}

export async function voidedResultsOfSitting(db: DataSource | EntityManager, sittingCode: string): Promise<VoidedResults> {
  const sessions = (await sittingSessions(db, sittingCode)).map((s) => s.session_id);
  const decisions: { candidate_id: string; session_id: string; decision: IncidentDecisionKind }[] = await db.query(
    `WITH ${CURRENT_DECISION_CTE}
     SELECT i.candidate_id, i.session_id, cur.decision FROM result_incident i JOIN cur ON cur.incident_id = i.incident_id
     WHERE i.session_id = ANY($1::text[]) AND i.candidate_id IS NOT NULL`,
    [sessions],
  );
  const keys = voidedResults(decisions.map((d) => ({ candidateId: d.candidate_id, sessionId: d.session_id, decision: d.decision })), sessions);
  const pairs = [...keys].map((k) => k.split('\u0000') as [string, string]);
  return { sessionIds: pairs.map((p) => p[0]), candidateIds: pairs.map((p) => p[1]), has: (s, c) => keys.has(resultKey(s, c)) };
}

/** The same for the sitting a session belongs to. */
export async function voidedResultsOfSession(db: DataSource | EntityManager, sessionId: string): Promise<VoidedResults> {
  const sitting = await sittingOfSession(db, sessionId);
  if (!sitting) return { sessionIds: [], candidateIds: [], has: () => false };
  return voidedResultsOfSitting(db, sitting);
}
