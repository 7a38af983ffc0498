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

/** Tamper-evident audit log: every state change with actor, time and reason, hash-chained. */
@Injectable()
export class AuditLog {
  private head: string | undefined;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(@Inject(VENUE_CONTEXT) private readonly ctx: VenueContext) {}

  record(entry: AuditEntry): Promise<string> {
    // Serialise appends so the chain has one order.
    const next = this.tail.then(() => this.append(entry));
    this.tail = next.catch(() => undefined);
    return next;
  }

  private async append(entry: AuditEntry): Promise<string> {
    const ds = this.ctx.db.dataSource;
    if (this.head === undefined) {
      const rows: { hash: string }[] = await ds.query('SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1');
      this.head = rows[0]?.hash ?? CHAIN_GENESIS;
    }
    const at = this.ctx.clock.now().toISOString();
    const body = { at, ...entry };
    const hash = chainNext(this.head, body);
    await ds.query('INSERT INTO audit_event (at, actor, action, subject, reason, details, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)', [
      at,
      entry.actor,
      entry.action,
      entry.subject,
      entry.reason ?? null,
      entry.details ? JSON.stringify(entry.details) : null,
      this.head,
      hash,
    ]);
    this.head = hash;
    return hash;
  }

  async headHash(): Promise<string> {
    await this.tail;
    const rows: { hash: string }[] = await this.ctx.db.dataSource.query('SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1');
    return rows[0]?.hash ?? CHAIN_GENESIS;
  }
}
