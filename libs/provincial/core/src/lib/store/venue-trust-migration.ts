import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who may change what a venue is trusted with (issue 14): a package is frozen by a named member of
 * staff and pulled by the venue's signed request (both recorded); re-issues are counted; venue key
 * changes and other two-person actions wait in `approval_request` for a second provincial admin.
 */
export class ProvincialVenueTrust1764900000000 implements MigrationInterface {
  name = 'ProvincialVenueTrust1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE venue_package ADD COLUMN frozen_by text, ADD COLUMN pulled_at timestamptz,
      ADD COLUMN reissue_count int NOT NULL DEFAULT 0, ADD COLUMN venue_key_id text, ADD COLUMN candidate_count int`);
    // Packages built before this migration were frozen by their first (then unauthenticated) pull.
    await q.query(`UPDATE venue_package SET frozen_by = 'venue pull (before issue 14)', pulled_at = created_at, venue_key_id = package->'manifest'->'body'->>'venueKeyId'`);
    await q.query('ALTER TABLE venue_package ALTER COLUMN frozen_by SET NOT NULL');
    await q.query(`CREATE TABLE approval_request (
      request_id text PRIMARY KEY, kind text NOT NULL, subject text NOT NULL, payload jsonb NOT NULL, reason text NOT NULL,
      requested_by text NOT NULL, requested_token text NOT NULL, requested_at timestamptz NOT NULL,
      state text NOT NULL CHECK (state IN ('pending', 'approved', 'rejected')),
      decided_by text, decided_token text, decided_at timestamptz, decision_reason text)`);
    // One open request per subject and kind: a second one waits until the first is decided.
    await q.query(`CREATE UNIQUE INDEX approval_request_open ON approval_request (kind, subject) WHERE state = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS approval_request');
    await q.query('ALTER TABLE venue_package DROP COLUMN frozen_by, DROP COLUMN pulled_at, DROP COLUMN reissue_count, DROP COLUMN venue_key_id, DROP COLUMN candidate_count');
  }
}
