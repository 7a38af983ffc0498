import type { DataSource } from 'typeorm';
import type { BackupRecord } from './backup-journal';
import { AnswerJournal } from './answer-journal';

export interface RestoreReport {
  records: number;
  attempts: number;
  eventsRestored: number;
  eventsAlreadyPresent: number;
}

/**
 * Rebuild the venue's answers from backup-journal records (the venue database was lost and the
 * package re-imported): attempts, the append-only answer events (the first record of each
 * (attempt, seq) wins, as in the database) and the current answer per item (highest seq).
 * Existing rows are kept; running it twice changes nothing.
 */
export async function restoreAnswers(ds: DataSource, records: BackupRecord[]): Promise<RestoreReport> {
  const first = new Map<string, BackupRecord>();
  for (const r of records) if (!first.has(`${r.attemptId}/${r.seq}`)) first.set(`${r.attemptId}/${r.seq}`, r);
  const events = [...first.values()];
  const attempts = new Map(events.map((e) => [e.attemptId, e]));
  const latest = new Map<string, BackupRecord>();
  for (const e of events) {
    const k = `${e.attemptId}/${e.itemId}`;
    const prev = latest.get(k);
    if (!prev || prev.seq < e.seq) latest.set(k, e);
  }
  let inserted = 0;
  await ds.transaction(async (em) => {
    const a = [...attempts.values()];
    await em.query(
      `INSERT INTO attempt (attempt_id, session_id, candidate_id, status, logged_in_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) ON CONFLICT DO NOTHING`,
      [a.map((x) => x.attemptId), a.map((x) => x.sessionId), a.map((x) => x.candidateId), a.map(() => 'in_progress'), a.map((x) => x.receivedAt)],
    );
    for (let i = 0; i < events.length; i += 5000) {
      const chunk = events.slice(i, i + 5000);
      const rows: unknown[] = await em.query(
        `INSERT INTO answer_event (attempt_id, seq, item_id, value, payload_hash, received_at)
         SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::jsonb[], $5::text[], $6::timestamptz[])
         ON CONFLICT DO NOTHING RETURNING seq`,
        [chunk.map((e) => e.attemptId), chunk.map((e) => e.seq), chunk.map((e) => e.itemId), chunk.map((e) => JSON.stringify(e.value)), chunk.map((e) => AnswerJournal.payloadHash(e)), chunk.map((e) => e.receivedAt)],
      );
      inserted += rows.length;
    }
    const cur = [...latest.values()];
    await em.query(
      `INSERT INTO current_answer (attempt_id, item_id, seq, value)
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::jsonb[])
       ON CONFLICT (attempt_id, item_id) DO UPDATE SET seq = EXCLUDED.seq, value = EXCLUDED.value WHERE current_answer.seq < EXCLUDED.seq`,
      [cur.map((e) => e.attemptId), cur.map((e) => e.itemId), cur.map((e) => e.seq), cur.map((e) => JSON.stringify(e.value))],
    );
  });
  return { records: records.length, attempts: attempts.size, eventsRestored: inserted, eventsAlreadyPresent: events.length - inserted };
}
