import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initCrypto } from '@kaowu/crypto';
import { MockExamClock, SimulatedCandidate, SittingHarness, randomAnswer, seededRandom, startSittingHarness } from '@kaowu/testing';
import { openBackupSegment, readBackupDir, restoreAnswers } from '@kaowu/venue-core';

const T0 = new Date('2026-09-09T02:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

/** 答题信息加密备份: the venue database is lost, and the journal alone brings every answer back. */
describe('encrypted backup journal', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'kaowu-backup-'));
  const clock = new MockExamClock(at(-20), 1);
  let h: SittingHarness;
  const people: SimulatedCandidate[] = [];

  beforeAll(async () => {
    await initCrypto();
    h = await startSittingHarness({ candidates: 8, workDir, databaseUrl: process.env.DATABASE_URL, durationMinutes: 120, T0, clock });
  });
  afterAll(async () => {
    people.forEach((p) => p.close());
    await h?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('rebuilds the answer journal and current answers exactly, with the province key only', async () => {
    const rnd = seededRandom(3);
    for (const c of h.roster.candidates) {
      const p = new SimulatedCandidate(h.venue.url, { roomCode: c.roomCode, seatNo: c.seatNo, ticketNo: c.ticketNo, idNo: c.idNo }, h.kioskKey);
      people.push(p);
      await p.connect();
      await p.logIn();
    }
    clock.set(at(-4), 1);
    await new Promise((r) => setTimeout(r, 2500)); // the venue pulls the paper key
    clock.set(at(1), 1);
    await Promise.all(
      people.map(async (p) => {
        const items = await p.waitForStartAndFetch(50, 10_000);
        for (const item of items.slice(0, 12)) await p.answer(item.itemId, randomAnswer(item, rnd));
        for (const item of items.slice(0, 3)) await p.answer(item.itemId, randomAnswer(item, rnd)); // changed answers
      }),
    );
    const ds = h.venue.ctx.db.dataSource;
    const events = () => ds.query('SELECT attempt_id, seq, item_id, value, payload_hash, received_at FROM answer_event ORDER BY attempt_id, seq');
    const current = () => ds.query('SELECT attempt_id, item_id, seq, value FROM current_answer ORDER BY attempt_id, item_id');
    const before = { events: await events(), current: await current() };
    expect(before.events).toHaveLength(8 * 15);

    // the venue database loses its answers
    await ds.query('DELETE FROM current_answer');
    await ds.query('DELETE FROM answer_event');

    const segments = readBackupDir(h.venue.ctx.config.BACKUP_DIR);
    // the venue's own keys cannot read the journal
    expect(() => openBackupSegment(segments[0], h.venue.ctx.keys, h.venue.ctx.keys.signing.publicKey)).toThrow(expect.objectContaining({ code: 'WRONG_RECIPIENT' }));
    const records = segments.flatMap((s) => openBackupSegment(s, h.province.ctx.keys, h.venue.ctx.keys.signing.publicKey));
    const report = await restoreAnswers(ds, records);
    expect(report.eventsRestored).toBe(8 * 15);
    expect(await events()).toEqual(before.events);
    expect(await current()).toEqual(before.current);
    // running it again changes nothing
    expect((await restoreAnswers(ds, records)).eventsRestored).toBe(0);
  });
});
