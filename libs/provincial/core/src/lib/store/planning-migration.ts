import { MigrationInterface, QueryRunner } from 'typeorm';

/** Planning v2: sittings with subjects and batches, regions, registrants with photos, venue planning data, seat allocation. */
export class ProvincialPlanning1764300000000 implements MigrationInterface {
  name = 'ProvincialPlanning1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE sitting (
      sitting_code text PRIMARY KEY, name text NOT NULL, min_minutes_before_hand_in int NOT NULL, late_login_cutoff_minutes int NOT NULL,
      ticket_printing_opens_at timestamptz, created_at timestamptz NOT NULL)`);
    await q.query(`CREATE TABLE sitting_subject (
      sitting_code text NOT NULL REFERENCES sitting(sitting_code) ON DELETE CASCADE, subject_code text NOT NULL, subject_name text NOT NULL,
      seq int NOT NULL, duration_minutes int NOT NULL, PRIMARY KEY (sitting_code, subject_code))`);
    await q.query(`CREATE TABLE sitting_batch (
      sitting_code text NOT NULL REFERENCES sitting(sitting_code) ON DELETE CASCADE, batch_code text NOT NULL, name text NOT NULL,
      seq int NOT NULL, batch_date date NOT NULL, PRIMARY KEY (sitting_code, batch_code))`);
    await q.query(`CREATE TABLE batch_subject (
      sitting_code text NOT NULL, batch_code text NOT NULL, subject_code text NOT NULL, starts_at timestamptz NOT NULL,
      PRIMARY KEY (sitting_code, batch_code, subject_code),
      FOREIGN KEY (sitting_code, batch_code) REFERENCES sitting_batch(sitting_code, batch_code) ON DELETE CASCADE,
      FOREIGN KEY (sitting_code, subject_code) REFERENCES sitting_subject(sitting_code, subject_code) ON DELETE CASCADE)`);
    await q.query(`CREATE TABLE region (region_code text PRIMARY KEY, name text NOT NULL UNIQUE)`);
    // Bulk tables (100,000 rows a sitting) carry no per-row foreign-key checks: the services
    // validate sitting, region and subjects before writing, and the per-row triggers would
    // double the import time. Subjects are an array in the row for the same reason.
    await q.query(`CREATE TABLE registrant (
      registrant_id uuid PRIMARY KEY, sitting_code text NOT NULL, id_type text NOT NULL, id_no text NOT NULL,
      name text NOT NULL, gender text NOT NULL, region_code text NOT NULL, phone text NOT NULL, subjects text[] NOT NULL,
      created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, UNIQUE (sitting_code, id_no))`);
    await q.query(`CREATE TABLE registrant_photo (
      registrant_id uuid PRIMARY KEY REFERENCES registrant(registrant_id) ON DELETE CASCADE, format text NOT NULL,
      width int NOT NULL, height int NOT NULL, bytes int NOT NULL, sha256 text NOT NULL, data bytea NOT NULL, imported_at timestamptz NOT NULL)`);
    await q.query(`ALTER TABLE venue ADD COLUMN region_code text REFERENCES region(region_code), ADD COLUMN address text,
      ADD COLUMN spare_room_code text, ADD COLUMN technical_contacts jsonb NOT NULL DEFAULT '[]'::jsonb`);
    await q.query(`CREATE TABLE room_staffing (
      venue_code text NOT NULL REFERENCES venue(venue_code) ON DELETE CASCADE, room_code text NOT NULL, proctors int NOT NULL,
      PRIMARY KEY (venue_code, room_code))`);
    // One row per placed registrant: the 准考证号 and every subject's seat. One candidate per
    // seat is the SeatAllocator's invariant (it refuses to take a taken seat), not an index:
    // 300,000 seat rows with their indexes would cost more than the allocation itself.
    await q.query(`CREATE TABLE seat_allocation (
      sitting_code text NOT NULL, registrant_id uuid NOT NULL, ticket_no text NOT NULL,
      seats text[] NOT NULL, -- 'subject/batch/venue/room/seat' per subject, in sitting order
      PRIMARY KEY (registrant_id), UNIQUE (sitting_code, ticket_no))`);
    await q.query(`CREATE TABLE allocation_run (
      id bigserial PRIMARY KEY, sitting_code text NOT NULL REFERENCES sitting(sitting_code), run_at timestamptz NOT NULL, report jsonb NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['allocation_run', 'seat_allocation', 'room_staffing', 'registrant_photo', 'registrant', 'batch_subject', 'sitting_batch', 'sitting_subject'])
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    await q.query('ALTER TABLE venue DROP COLUMN region_code, DROP COLUMN address, DROP COLUMN spare_room_code, DROP COLUMN technical_contacts');
    await q.query('DROP TABLE IF EXISTS region');
    await q.query('DROP TABLE IF EXISTS sitting');
  }
}
