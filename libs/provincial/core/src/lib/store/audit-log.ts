import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CHAIN_GENESIS, chainNext } from '@kaowu/crypto';
import { PROVINCIAL_CONTEXT, ProvincialContext } from '../provincial-context';

export interface AuditEntry {
  actor: string;
  action: string;
  subject: string;
  reason?: string;
  details?: Record<string, unknown>;
}

/** Hash-chained audit log of every change at the province; appends may join a caller's transaction. */
@Injectable()
export class ProvincialAuditLog {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(@Inject(PROVINCIAL_CONTEXT) private readonly ctx: ProvincialContext) {}

  record(entry: AuditEntry, em?: EntityManager): Promise<string> {
    // Inside a caller's transaction the append shares its connection (and its atomicity).
    if (em) return this.append(entry, em);
    const next = this.tail.then(() => this.ctx.db.dataSource.transaction((tx) => this.append(entry, tx)));
    this.tail = next.catch(() => undefined);
    return next;
  }

  private async append(entry: AuditEntry, q: EntityManager): Promise<string> {
    // One chain across concurrent transactions and server instances: take the chain's lock
    // (held to the end of the transaction) before reading its head.
    await q.query(`SELECT pg_advisory_xact_lock(hashtext('kaowu.audit_event'))`);
    const rows: { hash: string }[] = await q.query('SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1');
    const prev = rows[0]?.hash ?? CHAIN_GENESIS;
    const at = this.ctx.clock.now().toISOString();
    const hash = chainNext(prev, { at, ...entry });
    await q.query('INSERT INTO audit_event (at, actor, action, subject, reason, details, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)', [
      at, entry.actor, entry.action, entry.subject, entry.reason ?? null, entry.details ? JSON.stringify(entry.details) : null, prev, hash,
    ]);
    return hash;
  }
}
