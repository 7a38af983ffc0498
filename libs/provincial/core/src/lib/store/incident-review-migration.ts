import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 违规违纪处理: the incidents that arrived in verified room packages (one row each, taken from the
 * signed manifest at intake; packages received before this migration are backfilled) and the
 * province's decisions on them, every revision kept.
 */
export class IncidentReview1764800000000 implements MigrationInterface {
  name = 'IncidentReview1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE result_incident (
      incident_id text PRIMARY KEY, package_id text NOT NULL REFERENCES result_package(package_id), session_id text NOT NULL,
      venue_code text NOT NULL, room_code text NOT NULL, audit_id int NOT NULL,
      kind text NOT NULL CHECK (kind IN ('violation', 'identity_mismatch', 'forced_hand_in')),
      ticket_no text, candidate_id text, category text, facts text, evidence text, recorded_by text NOT NULL, recorded_at timestamptz NOT NULL)`);
    await q.query('CREATE INDEX result_incident_session ON result_incident (session_id, venue_code)');
    await q.query('CREATE INDEX result_incident_candidate ON result_incident (candidate_id)');
    await q.query(`CREATE TABLE incident_decision (
      incident_id text NOT NULL REFERENCES result_incident(incident_id), revision int NOT NULL,
      decision text NOT NULL CHECK (decision IN ('no_action', 'void_subject', 'void_sitting', 'other')),
      basis text NOT NULL, note text, revision_reason text, decided_by text NOT NULL, decided_at timestamptz NOT NULL,
      PRIMARY KEY (incident_id, revision), CHECK (revision = 1 OR revision_reason IS NOT NULL))`);
    // The reports read a package's attempts and a (session, candidate)'s attempt: without these, every room is a scan.
    await q.query('CREATE INDEX IF NOT EXISTS attempt_result_package ON attempt_result (package_id)');
    await q.query('CREATE INDEX IF NOT EXISTS attempt_result_candidate ON attempt_result (session_id, candidate_id)');
    await q.query(`INSERT INTO result_incident (incident_id, package_id, session_id, venue_code, room_code, audit_id, kind, ticket_no, candidate_id, category, facts, evidence, recorded_by, recorded_at)
      SELECT rp.package_id || '#' || (i->>'auditId'), rp.package_id, rp.session_id, rp.venue_code, rp.room_code, (i->>'auditId')::int,
        substr(i->>'action', length('incident.') + 1), i->>'ticketNo', a.candidate_id, i->>'category', i->>'reason', i->>'evidence', i->>'actor', (i->>'at')::timestamptz
      FROM result_package rp CROSS JOIN LATERAL jsonb_array_elements(rp.manifest->'body'->'incidents') AS i
      LEFT JOIN attempt_result a ON a.package_id = rp.package_id AND a.ticket_no = i->>'ticketNo'
      WHERE i->>'action' IN ('incident.violation', 'incident.identity_mismatch', 'incident.forced_hand_in')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS attempt_result_candidate');
    await q.query('DROP INDEX IF EXISTS attempt_result_package');
    await q.query('DROP TABLE IF EXISTS incident_decision');
    await q.query('DROP TABLE IF EXISTS result_incident');
  }
}
