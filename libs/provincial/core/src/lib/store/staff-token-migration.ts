import { MigrationInterface, QueryRunner } from 'typeorm';

/** Staff API tokens: only the SHA-256 of each bearer secret is kept. */
export class ProvincialStaffTokens1764400000000 implements MigrationInterface {
  name = 'ProvincialStaffTokens1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE staff_token (
      token_id text PRIMARY KEY, label text NOT NULL, role text NOT NULL CHECK (role IN ('provincial-admin', 'municipal-admin', 'auditor')),
      region_code text REFERENCES region(region_code), secret_sha256 text NOT NULL UNIQUE,
      issued_at timestamptz NOT NULL, issued_by text NOT NULL, revoked_at timestamptz,
      CHECK ((role = 'municipal-admin') = (region_code IS NOT NULL)))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS staff_token');
  }
}
