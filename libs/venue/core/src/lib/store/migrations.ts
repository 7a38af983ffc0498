import { MigrationInterface, QueryRunner } from 'typeorm';

/** Venue schema v1: package, roster, attempts, the append-only answer journal, uploads, audit. */
export class VenueSchema1764200000000 implements MigrationInterface {
  name = 'VenueSchema1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE venue_package (
      package_id text PRIMARY KEY,
      session_id text NOT NULL,
      manifest jsonb NOT NULL,
      paper_ciphertext bytea NOT NULL,
      release_secret text,
      imported_at timestamptz NOT NULL,
      released_at timestamptz
    )`);
    await q.query(`CREATE TABLE exam_session (
      session_id text PRIMARY KEY,
      package_id text NOT NULL REFERENCES venue_package(package_id),
      schedule jsonb NOT NULL
    )`);
    await q.query(`CREATE TABLE room (
      room_code text PRIMARY KEY,
      name text NOT NULL,
      seats jsonb NOT NULL,
      access_code_hash text NOT NULL
    )`);
    await q.query(`CREATE TABLE candidate (
      candidate_id text PRIMARY KEY,
      ticket_no text NOT NULL UNIQUE,
      id_no text NOT NULL,
      name text NOT NULL,
      gender text NOT NULL,
      room_code text NOT NULL REFERENCES room(room_code),
      seat_no int NOT NULL,
      UNIQUE (room_code, seat_no)
    )`);
    await q.query(`CREATE TABLE attempt (
      attempt_id text PRIMARY KEY,
      session_id text NOT NULL REFERENCES exam_session(session_id),
      candidate_id text NOT NULL REFERENCES candidate(candidate_id),
      status text NOT NULL,
      lease_epoch int NOT NULL DEFAULT 0,
      machine_id text,
      credited_minutes int NOT NULL DEFAULT 0,
      logged_in_at timestamptz,
      ended_at timestamptz,
      end_reason text,
      UNIQUE (session_id, candidate_id)
    )`);
    // 答题日志: one row per acknowledged answer event, never updated or deleted.
    await q.query(`CREATE TABLE answer_event (
      attempt_id text NOT NULL REFERENCES attempt(attempt_id),
      seq int NOT NULL,
      item_id text NOT NULL,
      value jsonb NOT NULL,
      payload_hash text NOT NULL,
      received_at timestamptz NOT NULL,
      PRIMARY KEY (attempt_id, seq)
    )`);
    await q.query(`CREATE TABLE current_answer (
      attempt_id text NOT NULL REFERENCES attempt(attempt_id),
      item_id text NOT NULL,
      seq int NOT NULL,
      value jsonb NOT NULL,
      PRIMARY KEY (attempt_id, item_id)
    )`);
    await q.query(`CREATE TABLE result_upload (
      room_code text NOT NULL,
      session_id text NOT NULL,
      package_id text NOT NULL UNIQUE,
      package jsonb NOT NULL,
      sealed_at timestamptz NOT NULL,
      receipt jsonb,
      uploaded_at timestamptz,
      last_error text,
      PRIMARY KEY (room_code, session_id)
    )`);
    await q.query(`CREATE TABLE audit_event (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL,
      actor text NOT NULL,
      action text NOT NULL,
      subject text NOT NULL,
      reason text,
      details jsonb,
      prev_hash text NOT NULL,
      hash text NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['audit_event', 'result_upload', 'current_answer', 'answer_event', 'attempt', 'candidate', 'room', 'exam_session', 'venue_package']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}

/** The venue's own name from the roster, shown on every exam machine. */
export class VenueName1764300000000 implements MigrationInterface {
  name = 'VenueName1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE venue_package ADD COLUMN venue_name text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE venue_package DROP COLUMN venue_name`);
  }
}

/** When an attempt's machine was last heard from (for the 换机 time credit). */
export class AttemptLastSeen1764400000000 implements MigrationInterface {
  name = 'AttemptLastSeen1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE attempt ADD COLUMN last_seen_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE attempt DROP COLUMN last_seen_at`);
  }
}

/**
 * 换机 to a spare seat authorised by the proctor (the attempt's current seat, null = the roster
 * seat) and 暂停 (a paused attempt's clock stops; the paused minutes are credited on resume).
 */
export class AttemptSeatAndPause1764500000000 implements MigrationInterface {
  name = 'AttemptSeatAndPause1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE attempt ADD COLUMN seat_no int, ADD COLUMN paused_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE attempt DROP COLUMN seat_no, DROP COLUMN paused_at`);
  }
}

/** 考生照片 from the roster: shown on the login confirmation and to the proctor checking identity. */
export class CandidatePhoto1764600000000 implements MigrationInterface {
  name = 'CandidatePhoto1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE candidate ADD COLUMN photo_media_type text, ADD COLUMN photo_data text');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE candidate DROP COLUMN photo_media_type, DROP COLUMN photo_data');
  }
}

/**
 * What proctors record about people: 身份核验 / 签到, incidents (违纪, 人证不符, 强制交卷), 缺考
 * confirmations, acknowledged anomalies and the room's 核查 confirmation; focus losses kept
 * across a restart.
 */
export class Proctoring1764650000000 implements MigrationInterface {
  name = 'Proctoring1764650000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE identity_check (
      check_id bigserial PRIMARY KEY, session_id text NOT NULL, room_code text NOT NULL, candidate_id text NOT NULL REFERENCES candidate(candidate_id),
      phase text NOT NULL, result text NOT NULL, note text, actor text NOT NULL, checked_at timestamptz NOT NULL)`);
    await q.query('CREATE INDEX identity_check_room ON identity_check (session_id, room_code)');
    await q.query(`CREATE TABLE incident (
      incident_id text PRIMARY KEY, incident_seq bigserial NOT NULL, session_id text NOT NULL, room_code text NOT NULL, candidate_id text REFERENCES candidate(candidate_id),
      kind text NOT NULL, category text, description text NOT NULL, evidence text, actor text NOT NULL, recorded_at timestamptz NOT NULL)`);
    await q.query('CREATE INDEX incident_room ON incident (session_id, room_code)');
    await q.query(`CREATE TABLE absence (
      session_id text NOT NULL, candidate_id text NOT NULL REFERENCES candidate(candidate_id), room_code text NOT NULL,
      note text, actor text NOT NULL, marked_at timestamptz NOT NULL, PRIMARY KEY (session_id, candidate_id))`);
    await q.query(`CREATE TABLE anomaly_ack (
      session_id text NOT NULL, room_code text NOT NULL, anomaly_id text NOT NULL, note text NOT NULL, actor text NOT NULL, acknowledged_at timestamptz NOT NULL,
      PRIMARY KEY (session_id, room_code, anomaly_id))`);
    await q.query(`CREATE TABLE room_confirmation (
      session_id text NOT NULL, room_code text NOT NULL, actor text NOT NULL, confirmed_at timestamptz NOT NULL, summary jsonb NOT NULL,
      PRIMARY KEY (session_id, room_code))`);
    await q.query('ALTER TABLE attempt ADD COLUMN focus_losses int NOT NULL DEFAULT 0');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE attempt DROP COLUMN focus_losses');
    for (const t of ['room_confirmation', 'anomaly_ack', 'absence', 'incident', 'identity_check']) await q.query(`DROP TABLE IF EXISTS ${t}`);
  }
}

/** 考试操作规程: each of a room's 17 steps done, by whom (a person's button, or `system` when seen). */
export class RoomProcedure1764660000000 implements MigrationInterface {
  name = 'RoomProcedure1764660000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE room_step (
      session_id text NOT NULL, room_code text NOT NULL, step_no int NOT NULL, actor text NOT NULL, note text, done_at timestamptz NOT NULL,
      PRIMARY KEY (session_id, room_code, step_no))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS room_step');
  }
}

/**
 * Resumable upload of each room's sealed package: its close and 30-minute deadline, the bytes
 * the province has confirmed, the retry schedule, and when it was exported to removable media.
 */
export class ResultUploads1764700000000 implements MigrationInterface {
  name = 'ResultUploads1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE result_upload
      ADD COLUMN closed_at timestamptz, ADD COLUMN deadline_at timestamptz,
      ADD COLUMN total_bytes bigint, ADD COLUMN package_sha256 text,
      ADD COLUMN upload_id text, ADD COLUMN confirmed_bytes bigint NOT NULL DEFAULT 0,
      ADD COLUMN upload_attempts int NOT NULL DEFAULT 0, ADD COLUMN next_attempt_at timestamptz,
      ADD COLUMN refused_code text, ADD COLUMN exported_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE result_upload
      DROP COLUMN closed_at, DROP COLUMN deadline_at, DROP COLUMN total_bytes, DROP COLUMN package_sha256, DROP COLUMN upload_id,
      DROP COLUMN confirmed_bytes, DROP COLUMN upload_attempts, DROP COLUMN next_attempt_at, DROP COLUMN refused_code, DROP COLUMN exported_at`);
  }
}

/**
 * 主考 and 技术负责人 who sign in with the codes issued with the venue package (hash only), and
 * 补时 requests above the threshold that wait for the chief examiner's decision.
 */
export class VenueStaff1764800000000 implements MigrationInterface {
  name = 'VenueStaff1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE venue_staff (
      staff_no text PRIMARY KEY,
      role text NOT NULL CHECK (role IN ('chief', 'technician')),
      name text NOT NULL,
      access_code_hash text NOT NULL
    )`);
    await q.query(`CREATE TABLE extension_request (
      request_id text PRIMARY KEY,
      session_id text NOT NULL,
      attempt_id text NOT NULL REFERENCES attempt(attempt_id),
      room_code text NOT NULL,
      minutes int NOT NULL CHECK (minutes > 0),
      reason text NOT NULL,
      requested_by text NOT NULL,
      requested_at timestamptz NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
      decided_by text,
      decided_at timestamptz,
      decision_note text
    )`);
    // One open request per candidate: a second one while the first waits is refused.
    await q.query(`CREATE UNIQUE INDEX extension_request_one_pending ON extension_request (attempt_id) WHERE status = 'pending'`);
    await q.query('CREATE INDEX extension_request_session ON extension_request (session_id, room_code)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE extension_request');
    await q.query('DROP TABLE venue_staff');
  }
}

/** 压力测试's sandbox: simulated saves of a run, deleted when it ends; never mixed with answers. */
export class StressTest1764810000000 implements MigrationInterface {
  name = 'StressTest1764810000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE stress_save (
      run_id text NOT NULL, machine int NOT NULL, seq int NOT NULL, payload text NOT NULL, received_at timestamptz NOT NULL,
      PRIMARY KEY (run_id, machine, seq))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE stress_save');
  }
}

/**
 * One venue, several sessions (科目 × 批次): the roster is per session — a candidate's room and seat
 * can differ by subject — and so are the rooms' proctor codes. A roster row's key is scoped to its
 * session; `registrant_id` is the province's candidate id.
 */
export class SessionRoster1764820000000 implements MigrationInterface {
  name = 'SessionRoster1764820000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE candidate ADD COLUMN session_id text REFERENCES exam_session(session_id), ADD COLUMN registrant_id text');
    // until now a venue held one session: every roster row belongs to it
    await q.query('UPDATE candidate SET registrant_id = candidate_id, session_id = (SELECT session_id FROM exam_session ORDER BY session_id LIMIT 1)');
    await q.query('ALTER TABLE candidate ALTER COLUMN registrant_id SET NOT NULL');
    await q.query('ALTER TABLE candidate DROP CONSTRAINT candidate_ticket_no_key, DROP CONSTRAINT candidate_room_code_seat_no_key');
    await q.query('CREATE UNIQUE INDEX candidate_session_ticket ON candidate (session_id, ticket_no)');
    await q.query('CREATE UNIQUE INDEX candidate_session_seat ON candidate (session_id, room_code, seat_no)');
    await q.query(`CREATE TABLE room_access (
      session_id text NOT NULL REFERENCES exam_session(session_id), room_code text NOT NULL REFERENCES room(room_code), access_code_hash text NOT NULL,
      PRIMARY KEY (session_id, room_code))`);
    await q.query('INSERT INTO room_access (session_id, room_code, access_code_hash) SELECT s.session_id, r.room_code, r.access_code_hash FROM exam_session s CROSS JOIN room r');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE room_access');
    await q.query('DROP INDEX candidate_session_seat');
    await q.query('DROP INDEX candidate_session_ticket');
    await q.query('ALTER TABLE candidate ADD CONSTRAINT candidate_ticket_no_key UNIQUE (ticket_no), ADD CONSTRAINT candidate_room_code_seat_no_key UNIQUE (room_code, seat_no)');
    await q.query('ALTER TABLE candidate DROP COLUMN session_id, DROP COLUMN registrant_id');
  }
}

export const venueMigrations = [
  VenueSchema1764200000000,
  VenueName1764300000000,
  AttemptLastSeen1764400000000,
  AttemptSeatAndPause1764500000000,
  CandidatePhoto1764600000000,
  Proctoring1764650000000,
  RoomProcedure1764660000000,
  ResultUploads1764700000000,
  VenueStaff1764800000000,
  StressTest1764810000000,
  SessionRoster1764820000000,
];
