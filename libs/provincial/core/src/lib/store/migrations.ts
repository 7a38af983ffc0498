import { MigrationInterface, QueryRunner } from 'typeorm';
import { ProvincialPlanning1764300000000 } from './planning-migration';
import { ProvincialStaffTokens1764400000000 } from './staff-token-migration';
import { ProvincialSittingSessions1764500000000 } from './sitting-session-migration';
import { IncidentReview1764800000000 } from './incident-review-migration';
import { ProvincialStaffTokenExpiry1764810000000 } from './staff-token-expiry-migration';
import { ProvincialVenueStaff1764820000000 } from './venue-staff-migration';
import { ProvincialVenueTrust1764900000000 } from './venue-trust-migration';

/** Provincial schema v1: plan (exams, venues, candidates, papers, sessions), packages, intake, scores, audit. */
export class ProvincialSchema1764200000000 implements MigrationInterface {
  name = 'ProvincialSchema1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE exam (
      exam_code text PRIMARY KEY, exam_name text NOT NULL, subject_code text NOT NULL, subject_name text NOT NULL,
      duration_minutes int NOT NULL, late_login_cutoff_minutes int NOT NULL, min_minutes_before_hand_in int NOT NULL,
      created_at timestamptz NOT NULL)`);
    await q.query(`CREATE TABLE venue (
      venue_code text PRIMARY KEY, name text NOT NULL, rooms jsonb NOT NULL,
      key_id text, signing_public_key text, box_public_key text, keys_registered_at timestamptz, created_at timestamptz NOT NULL)`);
    await q.query(`CREATE TABLE candidate (
      candidate_id text PRIMARY KEY, ticket_no text NOT NULL UNIQUE, id_no text NOT NULL, name text NOT NULL, gender text NOT NULL,
      venue_code text NOT NULL REFERENCES venue(venue_code), room_code text NOT NULL, seat_no int NOT NULL,
      UNIQUE (venue_code, room_code, seat_no))`);
    await q.query(`CREATE TABLE paper (
      paper_id text PRIMARY KEY, exam_code text NOT NULL REFERENCES exam(exam_code), items jsonb NOT NULL, created_at timestamptz NOT NULL)`);
    await q.query(`CREATE TABLE exam_session (
      session_id text PRIMARY KEY, exam_code text NOT NULL REFERENCES exam(exam_code), paper_id text NOT NULL REFERENCES paper(paper_id),
      starts_at timestamptz NOT NULL, release_at timestamptz NOT NULL)`);
    await q.query(`CREATE TABLE venue_package (
      package_id text PRIMARY KEY, venue_code text NOT NULL REFERENCES venue(venue_code), session_id text NOT NULL REFERENCES exam_session(session_id),
      package jsonb NOT NULL, release_secret_sealed text NOT NULL, credentials jsonb NOT NULL, created_at timestamptz NOT NULL,
      UNIQUE (venue_code, session_id))`);
    await q.query(`CREATE TABLE result_package (
      package_id text PRIMARY KEY, manifest_sha256 text NOT NULL, venue_code text NOT NULL, room_code text NOT NULL, session_id text NOT NULL,
      manifest jsonb NOT NULL, receipt jsonb NOT NULL, received_at timestamptz NOT NULL)`);
    await q.query(`CREATE TABLE attempt_result (
      attempt_id text PRIMARY KEY, package_id text NOT NULL REFERENCES result_package(package_id), session_id text NOT NULL,
      candidate_id text NOT NULL, ticket_no text NOT NULL, status text NOT NULL, answer_count int NOT NULL)`);
    await q.query(`CREATE TABLE answer_event (
      attempt_id text NOT NULL REFERENCES attempt_result(attempt_id), seq int NOT NULL, item_id text NOT NULL, value jsonb NOT NULL,
      received_at timestamptz NOT NULL, PRIMARY KEY (attempt_id, seq))`);
    await q.query(`CREATE TABLE score (
      session_id text NOT NULL, candidate_id text NOT NULL, ticket_no text NOT NULL, objective_score numeric(7,2) NOT NULL, answered int NOT NULL,
      PRIMARY KEY (session_id, candidate_id))`);
    await q.query(`CREATE TABLE audit_event (
      id bigserial PRIMARY KEY, at timestamptz NOT NULL, actor text NOT NULL, action text NOT NULL, subject text NOT NULL,
      reason text, details jsonb, prev_hash text NOT NULL, hash text NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['audit_event', 'score', 'answer_event', 'attempt_result', 'result_package', 'venue_package', 'exam_session', 'paper', 'candidate', 'venue', 'exam'])
      await q.query(`DROP TABLE IF EXISTS ${t}`);
  }
}

/** 考生照片: the registration photo travels in the venue roster (login screen, identity check). */
export class CandidatePhoto1764250000000 implements MigrationInterface {
  name = 'CandidatePhoto1764250000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE candidate ADD COLUMN photo_media_type text, ADD COLUMN photo_data text');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE candidate DROP COLUMN photo_media_type, DROP COLUMN photo_data');
  }
}

export { ProvincialPlanning1764300000000, ProvincialStaffTokens1764400000000, ProvincialSittingSessions1764500000000 };

/**
 * Result intake over the wire and on removable media: resumable uploads staged chunk by chunk
 * (each chunk hash-checked) until the package is complete, and revoked venue keys.
 */
export class ProvincialUploads1764400000000 implements MigrationInterface {
  name = 'ProvincialUploads1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE result_upload (
      upload_id text PRIMARY KEY, package_id text NOT NULL, venue_code text NOT NULL, room_code text NOT NULL, session_id text NOT NULL, total_bytes bigint NOT NULL, sha256 text NOT NULL,
      confirmed_bytes bigint NOT NULL DEFAULT 0, state text NOT NULL, via text NOT NULL, receipt jsonb, error jsonb,
      opened_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, completed_at timestamptz,
      UNIQUE (package_id, sha256, total_bytes))`);
    await q.query('CREATE INDEX result_upload_room ON result_upload (session_id, venue_code, room_code)');
    await q.query(`CREATE TABLE result_upload_chunk (
      upload_id text NOT NULL REFERENCES result_upload(upload_id) ON DELETE CASCADE, byte_offset bigint NOT NULL, bytes bytea NOT NULL, sha256 text NOT NULL,
      PRIMARY KEY (upload_id, byte_offset))`);
    await q.query(`CREATE TABLE venue_key_revocation (
      key_id text PRIMARY KEY, venue_code text NOT NULL REFERENCES venue(venue_code), reason text NOT NULL, revoked_at timestamptz NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['venue_key_revocation', 'result_upload_chunk', 'result_upload']) await q.query(`DROP TABLE IF EXISTS ${t}`);
  }
}

export const provincialMigrations = [
  ProvincialSchema1764200000000,
  CandidatePhoto1764250000000,
  ProvincialPlanning1764300000000,
  ProvincialUploads1764400000000,
  ProvincialStaffTokens1764400000000,
  ProvincialSittingSessions1764500000000,
  IncidentReview1764800000000,
  ProvincialStaffTokenExpiry1764810000000,
  ProvincialVenueStaff1764820000000,
  ProvincialVenueTrust1764900000000,
];
