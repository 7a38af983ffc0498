import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Staff tokens expire. Tokens issued before this migration get 30 days from now (nobody is locked
 * out by the upgrade); new ones carry the expiry chosen at issue.
 */
export class ProvincialStaffTokenExpiry1764810000000 implements MigrationInterface {
  name = 'ProvincialStaffTokenExpiry1764810000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE staff_token ADD COLUMN expires_at timestamptz');
    await q.query(`UPDATE staff_token SET expires_at = now() + interval '30 days'`);
    await q.query('ALTER TABLE staff_token ALTER COLUMN expires_at SET NOT NULL');
    // 操作日志 filters by action and time, newest first.
    await q.query('CREATE INDEX audit_event_action ON audit_event (action, id)');
    await q.query('CREATE INDEX audit_event_at ON audit_event (at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS audit_event_at');
    await q.query('DROP INDEX IF EXISTS audit_event_action');
    await q.query('ALTER TABLE staff_token DROP COLUMN expires_at');
  }
}
