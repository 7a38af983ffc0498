import { MigrationInterface, QueryRunner } from 'typeorm';

/** 场次 of the exam plan: a session may belong to one subject of one batch of a sitting (its roster comes from the allocation). */
export class ProvincialSittingSessions1764500000000 implements MigrationInterface {
  name = 'ProvincialSittingSessions1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE exam_session ADD COLUMN sitting_code text, ADD COLUMN batch_code text, ADD COLUMN subject_code text,
      ADD FOREIGN KEY (sitting_code, batch_code, subject_code) REFERENCES batch_subject(sitting_code, batch_code, subject_code)`);
    await q.query('CREATE UNIQUE INDEX exam_session_batch_subject ON exam_session (sitting_code, batch_code, subject_code) WHERE sitting_code IS NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS exam_session_batch_subject');
    await q.query('ALTER TABLE exam_session DROP COLUMN sitting_code, DROP COLUMN batch_code, DROP COLUMN subject_code');
  }
}
