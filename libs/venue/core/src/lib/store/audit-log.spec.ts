import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHAIN_GENESIS, chainNext, initCrypto } from '@kaowu/crypto';
import { ManualClock } from '@kaowu/exam-domain';
import { Database, createScratchDatabase, openDatabase } from '@kaowu/persistence';
import { VenueContext } from '../venue-context';
import { venueMigrations } from './migrations';
import { AuditLog } from './audit-log';

describe('AuditLog', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kaowu-audit-'));
  let db: Database;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    await initCrypto();
    const scratch = process.env.DATABASE_URL ? await createScratchDatabase(process.env.DATABASE_URL, 'kaowu_test_audit') : undefined;
    drop = scratch?.drop;
    db = await openDatabase({ url: scratch?.url, embeddedDir: join(dir, 'pg'), entities: [], migrations: venueMigrations });
  });
  afterAll(async () => {
    await db.close();
    await drop?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps one hash chain across concurrent appends, in the order they were made, and continues it after a restart', async () => {
    const ctx = { db, clock: new ManualClock(new Date('2026-09-09T02:00:00Z')) } as unknown as VenueContext;
    const log = new AuditLog(ctx);
    await Promise.all(Array.from({ length: 25 }, (_, i) => log.record({ actor: 'system', action: 'test.step', subject: `s${i}`, reason: '测试' })));
    await new AuditLog(ctx).record({ actor: 'proctor:R01', action: 'test.after_restart', subject: 'x' });
    const rows: { at: Date; actor: string; action: string; subject: string; reason: string | null; prev_hash: string; hash: string }[] = await db.dataSource.query(
      'SELECT at, actor, action, subject, reason, prev_hash, hash FROM audit_event ORDER BY id',
    );
    expect(rows.map((r) => r.subject)).toEqual([...Array.from({ length: 25 }, (_, i) => `s${i}`), 'x']);
    let prev = CHAIN_GENESIS;
    for (const r of rows) {
      expect(r.prev_hash).toBe(prev);
      const entry = { at: new Date(r.at).toISOString(), actor: r.actor, action: r.action, subject: r.subject, ...(r.reason ? { reason: r.reason } : {}) };
      expect(r.hash).toBe(chainNext(prev, entry));
      prev = r.hash;
    }
  });

  it('records one entry after another when each caller awaits the previous one (no entry is left waiting)', async () => {
    const ctx = { db, clock: new ManualClock(new Date('2026-09-09T03:00:00Z')) } as unknown as VenueContext;
    const log = new AuditLog(ctx);
    const hashes: string[] = [];
    for (let i = 0; i < 5; i++) hashes.push(await log.record({ actor: 'proctor:R01', action: 'attempt.paused', subject: `a${i}`, reason: '考点停电' }));
    expect(new Set(hashes).size).toBe(5);
    const rows: { subject: string }[] = await db.dataSource.query(`SELECT subject FROM audit_event WHERE action = 'attempt.paused' ORDER BY id`);
    expect(rows.map((r) => r.subject)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
  });
});
