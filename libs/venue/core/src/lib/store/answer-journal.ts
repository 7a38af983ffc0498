import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { canonicalJson, sha256Hex } from '@kaowu/crypto';
import { classifySeq } from '@kaowu/exam-domain';
import { DomainError } from '@kaowu/server-kit';
import { VENUE_CONTEXT, VenueContext } from '../venue-context';
import { BackupJournal, type BackupRecord } from './backup-journal';

/** One answer event on its way in: the backup record's fields, with the server's receive time. */
export type AnswerEventInput = Omit<BackupRecord, 'receivedAt'> & { receivedAt: Date };

interface Pending extends AnswerEventInput {
  payloadHash: string;
  resolve: (outcome: 'new' | 'duplicate') => void;
  reject: (error: unknown) => void;
}

const MAX_BATCH = 1000;

/**
 * 答题日志 with group commit: saves arriving within a few milliseconds share one transaction
 * (journal rows + current-answer upserts) and one append + fsync of the encrypted backup
 * journal, run side by side; each caller's promise resolves only after both, so the
 * acknowledgement the candidate sees always names an event that is durable twice over. Rows
 * are only inserted: an acknowledged event is never updated or deleted.
 */
@Injectable()
export class AnswerJournal implements OnModuleDestroy {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private readonly batchSize;
  private readonly commitSeconds;

  constructor(
    @Inject(VENUE_CONTEXT) private readonly ctx: VenueContext,
    @Inject(BackupJournal) private readonly backup: BackupJournal,
  ) {
    this.batchSize = ctx.metrics.histogram('kaowu_answer_batch_size', 'Answer events per group commit', [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]);
    this.commitSeconds = ctx.metrics.histogram('kaowu_answer_commit_seconds', 'Group commit duration', [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1]);
  }

  static payloadHash(e: Pick<AnswerEventInput, 'itemId' | 'value'>): string {
    return sha256Hex(canonicalJson({ itemId: e.itemId, value: e.value }));
  }

  /** Resolves once the event is durable ('new') or was already stored identically ('duplicate'). */
  save(event: AnswerEventInput): Promise<'new' | 'duplicate'> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ...event, payloadHash: AnswerJournal.payloadHash(event), resolve, reject });
      if (this.queue.length >= MAX_BATCH) this.kick(0);
      else this.kick(this.ctx.config.ANSWER_COMMIT_WINDOW_MS);
    });
  }

  private kick(delay: number) {
    if (this.timer && delay > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // one flush at a time: the next batch collects while this one commits
      this.flushing = this.flushing.then(() => this.flush());
    }, delay);
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, MAX_BATCH);
    if (this.queue.length > 0) this.kick(0);
    if (batch.length === 0) return;
    const stop = this.commitSeconds.startTimer();
    this.batchSize.observe(batch.length);
    try {
      const [outcomes] = await Promise.all([
        this.commit(batch),
        // every distinct event of the batch, retries included: the backup is a superset of the table
        this.backup.append(
          dedupe(batch).map((p) => ({ attemptId: p.attemptId, sessionId: p.sessionId, candidateId: p.candidateId, seq: p.seq, itemId: p.itemId, value: p.value, receivedAt: p.receivedAt.toISOString() })),
        ),
      ]);
      batch.forEach((p, i) => {
        const o = outcomes[i];
        if (o === 'conflict') {
          p.reject(new DomainError('SEQ_CONFLICT', `序号 ${p.seq} 已保存为不同的作答内容，本次修改未被接受`, `seq ${p.seq} is already stored with a different answer`, 'seq'));
        } else p.resolve(o);
      });
    } catch (error) {
      this.ctx.logger.error({ err: error, batch: batch.length }, 'answer group commit failed');
      batch.forEach((p) => p.reject(new DomainError('INTERNAL', '作答暂未保存，请稍候，系统将自动重试', 'answer not saved yet; the client will retry')));
    } finally {
      stop();
    }
  }

  private async commit(batch: Pending[]): Promise<Array<'new' | 'duplicate' | 'conflict'>> {
    const firstIndex = firstOccurrences(batch);
    const unique = dedupe(batch);

    const stored = new Map<string, string>(); // key → payload hash now in the journal
    // One statement, one round trip, atomic on its own: append the new events and move each
    // (attempt, item)'s current answer to its highest seq among them (whatever order they came in).
    const inserted: { attempt_id: string; seq: number }[] = await this.ctx.db.dataSource.query(
      `WITH ins AS (
         INSERT INTO answer_event (attempt_id, seq, item_id, value, payload_hash, received_at)
         SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::jsonb[], $5::text[], $6::timestamptz[])
         ON CONFLICT (attempt_id, seq) DO NOTHING
         RETURNING attempt_id, seq, item_id, value),
       latest AS (
         SELECT DISTINCT ON (attempt_id, item_id) attempt_id, item_id, seq, value FROM ins ORDER BY attempt_id, item_id, seq DESC),
       cur AS (
         INSERT INTO current_answer (attempt_id, item_id, seq, value) SELECT attempt_id, item_id, seq, value FROM latest
         ON CONFLICT (attempt_id, item_id) DO UPDATE SET seq = EXCLUDED.seq, value = EXCLUDED.value
         WHERE current_answer.seq < EXCLUDED.seq)
       SELECT attempt_id, seq FROM ins`,
      [
        unique.map((p) => p.attemptId),
        unique.map((p) => p.seq),
        unique.map((p) => p.itemId),
        unique.map((p) => JSON.stringify(p.value)),
        unique.map((p) => p.payloadHash),
        unique.map((p) => p.receivedAt.toISOString()),
      ],
    );
    const insertedKeys = new Set(inserted.map((r) => seqKey({ attemptId: r.attempt_id, seq: Number(r.seq) })));
    unique.filter((p) => insertedKeys.has(seqKey(p))).forEach((p) => stored.set(seqKey(p), p.payloadHash));

    // Retries of stored seqs (after a lost ack or a reconnect): compare with what is stored.
    const retried = unique.filter((p) => !insertedKeys.has(seqKey(p)));
    if (retried.length > 0) {
      const rows: { attempt_id: string; seq: number; payload_hash: string }[] = await this.ctx.db.dataSource.query(
        `SELECT e.attempt_id, e.seq, e.payload_hash FROM answer_event e
         JOIN unnest($1::text[], $2::int[]) AS r(attempt_id, seq) ON e.attempt_id = r.attempt_id AND e.seq = r.seq`,
        [retried.map((p) => p.attemptId), retried.map((p) => p.seq)],
      );
      rows.forEach((r) => stored.set(seqKey({ attemptId: r.attempt_id, seq: Number(r.seq) }), r.payload_hash));
    }

    return batch.map((p, i) => {
      const k = seqKey(p);
      if (firstIndex.get(k) === i && insertedKeys.has(k)) return 'new';
      const decision = classifySeq(stored.get(k), p.payloadHash);
      if (decision === 'new') throw new Error(`journal lost track of ${k}`);
      return decision;
    });
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.flushing = this.flushing.then(() => this.flush());
    }
    await this.flushing;
  }
}

const seqKey = (p: { attemptId: string; seq: number }) => `${p.attemptId}\u0000${p.seq}`;

/** The same (attempt, seq) twice inside one batch: the first one counts, as in the database. */
function firstOccurrences<T extends { attemptId: string; seq: number }>(batch: T[]): Map<string, number> {
  const first = new Map<string, number>();
  batch.forEach((p, i) => {
    if (!first.has(seqKey(p))) first.set(seqKey(p), i);
  });
  return first;
}

function dedupe<T extends { attemptId: string; seq: number }>(batch: T[]): T[] {
  return [...firstOccurrences(batch).values()].map((i) => batch[i]);
}
