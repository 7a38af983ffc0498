import { Inject, Injectable } from '@nestjs/common';
import { CHAIN_GENESIS, chainNext } from '@kaowu/crypto';
import { VENUE_CONTEXT, VenueContext } from '../venue-context';

export interface AuditEntry {
  actor: string;
  action: string;
  subject: string;
  reason?: string;
  details?: Record<string, unknown>;
}

interface Queued {
  entry: AuditEntry;
  resolve: (hash: string) => void;
  reject: (error: unknown) => void;
}

/**
 * Tamper-evident audit log: every state change with actor, time and reason, hash-chained.
 * Appends queue up and are written together (one INSERT per batch, the chain computed in
 * order), so a login storm after a restart does not wait on a thousand single inserts.
 */
@Injectable()
export class AuditLog {
  private head: string | undefined;
  private queue: Queued[] = [];
  private flushing: Promise<void> | undefined;

  constructor(@Inject(VENUE_CONTEXT) private readonly ctx: VenueContext) {}

  record(entry: AuditEntry): Promise<string> {
    return new Promise((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      this.kick();
    });
  }

  /**
   * Start a flush unless one runs. A record queued after a flush's last batch but before its
   * `finally` (an awaiting caller resumes first) is picked up by the restart in `finally`.
   */
  private kick(): void {
    if (this.flushing) return;
    this.flushing = this.flush().finally(() => {
      this.flushing = undefined;
      if (this.queue.length > 0) this.kick();
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, 500);
      try {
        const ds = this.ctx.db.dataSource;
        if (this.head === undefined) {
          const rows: { hash: string }[] = await ds.query('SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1');
          this.head = rows[0]?.hash ?? CHAIN_GENESIS;
        }
        let prev = this.head;
        const rows = batch.map(({ entry }) => {
          const at = this.ctx.clock.now().toISOString();
          const hash = chainNext(prev, { at, ...entry });
          const row = { at, entry, prev, hash };
          prev = hash;
          return row;
        });
        await ds.query(
          `INSERT INTO audit_event (at, actor, action, subject, reason, details, prev_hash, hash)
           SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::text[], $8::text[])`,
          [
            rows.map((r) => r.at),
            rows.map((r) => r.entry.actor),
            rows.map((r) => r.entry.action),
            rows.map((r) => r.entry.subject),
            rows.map((r) => r.entry.reason ?? null),
            rows.map((r) => (r.entry.details ? JSON.stringify(r.entry.details) : null)),
            rows.map((r) => r.prev),
            rows.map((r) => r.hash),
          ],
        );
        this.head = prev;
        batch.forEach((q, i) => q.resolve(rows[i].hash));
      } catch (error) {
        this.head = undefined; // re-read the chain head next time
        batch.forEach((q) => q.reject(error));
      }
    }
  }

  async headHash(): Promise<string> {
    await this.flushing;
    const rows: { hash: string }[] = await this.ctx.db.dataSource.query('SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1');
    return rows[0]?.hash ?? CHAIN_GENESIS;
  }
}
