import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { createScratchDatabase, openDatabase } from './database';

class CreateNotes1700000000000 implements MigrationInterface {
  name = 'CreateNotes1700000000000';
  async up(q: QueryRunner) {
    await q.query('CREATE TABLE note (id serial PRIMARY KEY, body text NOT NULL)');
  }
  async down(q: QueryRunner) {
    await q.query('DROP TABLE note');
  }
}

describe('openDatabase', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kaowu-db-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs migrations and keeps committed rows across a reopen (embedded or DATABASE_URL)', async () => {
    const scratch = process.env.DATABASE_URL ? await createScratchDatabase(process.env.DATABASE_URL, 'kaowu_test_persistence') : undefined;
    const options = { url: scratch?.url, embeddedDir: join(dir, 'pg'), entities: [], migrations: [CreateNotes1700000000000] };
    try {
      const first = await openDatabase(options);
      expect(first.kind).toBe(scratch ? 'postgres' : 'embedded');
      await first.dataSource.query('INSERT INTO note (body) VALUES ($1)', ['已保存']);
      await first.close();

      const second = await openDatabase(options);
      const rows = await second.dataSource.query('SELECT body FROM note');
      expect(rows).toEqual([{ body: '已保存' }]);
      // migrations are not run twice
      const applied = await second.dataSource.query('SELECT name FROM migrations');
      expect(applied).toHaveLength(1);
      await second.close();
    } finally {
      await scratch?.drop();
    }
  });
});
