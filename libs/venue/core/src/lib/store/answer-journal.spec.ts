import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { PartyKeys, generatePartyKeys, initCrypto, publicKeysOf } from '@kaowu/crypto';
import { ManualClock } from '@kaowu/exam-domain';
import { Database, createScratchDatabase, openDatabase } from '@kaowu/persistence';
import { createMetrics } from '@kaowu/server-kit';
import { VenueContext } from '../venue-context';
import { VenueConfigSchema } from '../venue-config';
import { venueMigrations } from './migrations';
import { AnswerJournal, AnswerEventInput } from './answer-journal';
import { BackupJournal } from './backup-journal';
import { openBackupSegment, readBackupDir } from './backup-journal-reader';

describe('AnswerJournal (group commit, append-only)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kaowu-journal-'));
  let db: Database;
  let drop: (() => Promise<void>) | undefined;
  let journal: AnswerJournal;
  let backup: BackupJournal;
  let province: PartyKeys;
  let venue: PartyKeys;
  const at = new Date('2026-09-09T02:10:00Z');
  const choice = (...selected: string[]) => ({ kind: 'choice' as const, selected });
  const A1: Pick<AnswerEventInput, 'attemptId' | 'sessionId' | 'candidateId'> = { attemptId: 'A1', sessionId: 'S1', candidateId: 'C1' };
  const A2: Pick<AnswerEventInput, 'attemptId' | 'sessionId' | 'candidateId'> = { attemptId: 'A2', sessionId: 'S1', candidateId: 'C2' };

  beforeAll(async () => {
    await initCrypto();
    const scratch = process.env.DATABASE_URL ? await createScratchDatabase(process.env.DATABASE_URL, 'kaowu_test_journal') : undefined;
    drop = scratch?.drop;
    db = await openDatabase({ url: scratch?.url, embeddedDir: join(dir, 'pg'), entities: [], migrations: venueMigrations });
    // the minimum rows an attempt needs
    await db.dataSource.query(`INSERT INTO venue_package VALUES ('P', 'S1', '{}', '\\x00', NULL, now(), NULL)`);
    await db.dataSource.query(`INSERT INTO exam_session VALUES ('S1', 'P', '{}')`);
    await db.dataSource.query(`INSERT INTO room VALUES ('R01', '第1考场', '[]', 'x')`);
    for (const n of [1, 2]) {
      await db.dataSource.query(
        `INSERT INTO candidate (candidate_id, ticket_no, id_no, name, gender, room_code, seat_no, session_id, registrant_id) VALUES ($1, $2, 'id', '考生', 'M', 'R01', $3, 'S1', $1)`,
        [`C${n}`, `20260000000${n}`, n],
      );
      await db.dataSource.query(`INSERT INTO attempt (attempt_id, session_id, candidate_id, status) VALUES ($1, 'S1', $2, 'in_progress')`, [`A${n}`, `C${n}`]);
    }
    province = generatePartyKeys('province');
    venue = generatePartyKeys('venue-V001');
    const ctx = {
      config: VenueConfigSchema.parse({ ANSWER_COMMIT_WINDOW_MS: '5', BACKUP_DIR: join(dir, 'backup') }),
      db,
      keys: venue,
      province: publicKeysOf(province),
      clock: new ManualClock(at),
      logger: pino({ level: 'silent' }),
      metrics: createMetrics('test'),
    } as unknown as VenueContext;
    backup = new BackupJournal(ctx);
    await backup.onModuleInit();
    journal = new AnswerJournal(ctx, backup);
  });

  afterAll(async () => {
    await journal.onModuleDestroy();
    await backup.onModuleDestroy();
    await db.close();
    await drop?.();
    rmSync(dir, { recursive: true, force: true });
  });

  const rows = (attemptId: string) => db.dataSource.query('SELECT seq, item_id, value FROM answer_event WHERE attempt_id = $1 ORDER BY seq', [attemptId]);
  const current = (attemptId: string) => db.dataSource.query('SELECT item_id, seq, value FROM current_answer WHERE attempt_id = $1 ORDER BY item_id', [attemptId]);

  it('commits concurrent saves together and keeps every event', async () => {
    const saves = Array.from({ length: 50 }, (_, i) => journal.save({ ...A1, seq: i + 1, itemId: `S${(i % 5) + 1}`, value: choice('ABCD'[i % 4]), receivedAt: at }));
    expect(await Promise.all(saves)).toEqual(Array(50).fill('new'));
    expect(await rows('A1')).toHaveLength(50);
    // the current answer of each item is its highest seq
    const cur = await current('A1');
    expect(cur.map((r: { item_id: string; seq: number }) => [r.item_id, Number(r.seq)])).toEqual([
      ['S1', 46], ['S2', 47], ['S3', 48], ['S4', 49], ['S5', 50],
    ]);
  });

  it('acks an identical resend again and refuses a different answer under a stored seq, changing nothing', async () => {
    await journal.save({ ...A2, seq: 1, itemId: 'S1', value: choice('A'), receivedAt: at });
    expect(await journal.save({ ...A2, seq: 1, itemId: 'S1', value: choice('A'), receivedAt: at })).toBe('duplicate');
    await expect(journal.save({ ...A2, seq: 1, itemId: 'S1', value: choice('B'), receivedAt: at })).rejects.toMatchObject({ code: 'SEQ_CONFLICT', field: 'seq' });
    expect(await rows('A2')).toEqual([{ seq: 1, item_id: 'S1', value: choice('A') }]);
  });

  it('keeps the highest seq as the current answer when events arrive out of order', async () => {
    await Promise.all([
      journal.save({ ...A2, seq: 3, itemId: 'S2', value: choice('C'), receivedAt: at }),
      journal.save({ ...A2, seq: 2, itemId: 'S2', value: choice('B'), receivedAt: at }),
    ]);
    await journal.save({ ...A2, seq: 4, itemId: 'S3', value: choice('D'), receivedAt: at });
    await journal.save({ ...A2, seq: 2, itemId: 'S2', value: choice('B'), receivedAt: at }); // late resend of an older event
    const cur = await current('A2');
    expect(cur.find((r: { item_id: string }) => r.item_id === 'S2')).toMatchObject({ seq: 3, value: choice('C') });
    const seqs: { seq: number }[] = await db.dataSource.query(`SELECT seq FROM answer_event WHERE attempt_id = 'A2' ORDER BY seq`);
    expect(seqs.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4]);
  });

  it('writes every acknowledged event to the encrypted backup journal, which only the province can open', async () => {
    const segments = readBackupDir(join(dir, 'backup'));
    expect(segments).toHaveLength(1);
    const records = openBackupSegment(segments[0], province, venue.signing.publicKey);
    const stored: { attempt_id: string; seq: number }[] = await db.dataSource.query('SELECT attempt_id, seq FROM answer_event');
    const inBackup = new Set(records.map((r) => `${r.attemptId}/${r.seq}`));
    expect(stored.every((r) => inBackup.has(`${r.attempt_id}/${r.seq}`))).toBe(true);
    expect(records[0]).toMatchObject({ attemptId: 'A1', sessionId: 'S1', candidateId: 'C1', seq: 1 });
    // the venue's own keys cannot read its backup back
    expect(() => openBackupSegment(segments[0], venue, venue.signing.publicKey)).toThrow(expect.objectContaining({ code: 'WRONG_RECIPIENT' }));
    // a record cut from the end is noticed against the last signed head
    expect(() => openBackupSegment({ ...segments[0], records: segments[0].records.slice(0, -1) }, province, venue.signing.publicKey)).toThrow(
      expect.objectContaining({ code: 'TRUNCATED' }),
    );
  });
});
