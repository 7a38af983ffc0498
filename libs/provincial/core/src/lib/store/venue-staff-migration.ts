import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 主考 and 技术负责人 credentials of a venue: issued once and carried by every package of the venue,
 * so importing tomorrow's package does not change today's codes.
 */
export class ProvincialVenueStaff1764820000000 implements MigrationInterface {
  name = 'ProvincialVenueStaff1764820000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE venue_staff_credential (
      staff_no text PRIMARY KEY,
      venue_code text NOT NULL REFERENCES venue(venue_code),
      role text NOT NULL CHECK (role IN ('chief', 'technician')),
      name text NOT NULL,
      access_code text NOT NULL,
      issued_at timestamptz NOT NULL
    )`);
    await q.query('CREATE INDEX venue_staff_credential_venue ON venue_staff_credential (venue_code)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE venue_staff_credential');
  }
}
