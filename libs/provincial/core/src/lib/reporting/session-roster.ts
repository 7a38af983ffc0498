import type { DataSource, EntityManager } from 'typeorm';

/** One roster place of a session: who should sit it, where. */
export interface RosterPlace {
  session_id: string;
  candidate_id: string;
  ticket_no: string;
  name: string;
  venue_code: string;
  room_code: string;
}

/**
 * Who sits the given sessions, where: for a session of the exam plan, everyone the seat
 * allocation placed in its batch and subject (seats are 'subject/batch/venue/room/seat');
 * for a session outside a plan (mock exam, skeleton), the fixed-seat candidates of every
 * venue that received its package. `venue`/`room` narrow it to one place.
 */
/** The roster as a CTE named `placed` over the sessions in $1 (text[]); see `sessionRoster`. */
export const ROSTER_CTE = `s AS (SELECT session_id, sitting_code, batch_code, subject_code FROM exam_session WHERE session_id = ANY($1::text[])),
  placed AS (
    SELECT s.session_id, r.registrant_id::text AS candidate_id, a.ticket_no, r.name, split_part(e, '/', 3) AS venue_code, split_part(e, '/', 4) AS room_code
    FROM s JOIN seat_allocation a ON a.sitting_code = s.sitting_code CROSS JOIN LATERAL unnest(a.seats) AS e
    JOIN registrant r ON r.registrant_id = a.registrant_id
    WHERE s.sitting_code IS NOT NULL AND starts_with(e, s.subject_code || '/' || s.batch_code || '/')
    UNION ALL
    SELECT s.session_id, c.candidate_id, c.ticket_no, c.name, c.venue_code, c.room_code
    FROM s JOIN venue_package vp ON vp.session_id = s.session_id JOIN candidate c ON c.venue_code = vp.venue_code
    WHERE s.sitting_code IS NULL)`;

export function sessionRoster(db: DataSource | EntityManager, sessionIds: string[], where: { venueCode?: string; roomCode?: string } = {}): Promise<RosterPlace[]> {
  return db.query(
    `WITH ${ROSTER_CTE}
     SELECT * FROM placed WHERE ($2::text IS NULL OR venue_code = $2) AND ($3::text IS NULL OR room_code = $3)
     ORDER BY session_id, venue_code, room_code, ticket_no`,
    [sessionIds, where.venueCode ?? null, where.roomCode ?? null],
  );
}

/** A sitting's sessions: those of the plan, or for a code that is no plan, the sessions of that exam. */
export interface SittingSession {
  session_id: string;
  sitting_code: string | null;
  batch_code: string | null;
  subject_code: string;
  subject_name: string;
  exam_code: string;
  starts_at: Date;
  duration_minutes: number;
  paper_id: string;
}

export function sittingSessions(db: DataSource | EntityManager, sittingCode: string): Promise<SittingSession[]> {
  return db.query(
    `SELECT s.session_id, s.sitting_code, s.batch_code, coalesce(s.subject_code, e.subject_code) AS subject_code,
       coalesce(ss.subject_name, e.subject_name) AS subject_name, s.exam_code, s.starts_at,
       coalesce(ss.duration_minutes, e.duration_minutes) AS duration_minutes, s.paper_id
     FROM exam_session s JOIN exam e ON e.exam_code = s.exam_code
     LEFT JOIN sitting_subject ss ON ss.sitting_code = s.sitting_code AND ss.subject_code = s.subject_code
     WHERE s.sitting_code = $1 OR (s.sitting_code IS NULL AND s.exam_code = $1)
     ORDER BY s.starts_at, s.session_id`,
    [sittingCode],
  );
}

/** The sitting a session belongs to (its exam code outside a plan). */
export async function sittingOfSession(db: DataSource | EntityManager, sessionId: string): Promise<string | null> {
  const [row]: { code: string }[] = await db.query('SELECT coalesce(sitting_code, exam_code) AS code FROM exam_session WHERE session_id = $1', [sessionId]);
  return row?.code ?? null;
}
