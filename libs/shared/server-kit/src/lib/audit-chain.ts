import type { DataSource } from 'typeorm';
import { CHAIN_GENESIS, chainNext } from '@kaowu/crypto';

/** One row of an `audit_event` table (the same on the province and the venue). */
export interface AuditChainRow {
  id: number | string;
  at: Date | string;
  actor: string;
  action: string;
  subject: string;
  reason: string | null;
  details: Record<string, unknown> | null;
  prev_hash: string;
  hash: string;
}

export interface AuditChainBreak {
  id: number;
  /** What is wrong with the row, for the person who reads the report. */
  problem: 'edited' | 'unlinked';
  message: string;
}

export interface AuditChainReport {
  rows: number;
  head: string;
  ok: boolean;
  breaks: AuditChainBreak[];
}

/** The entry exactly as it was hashed when appended: `{ at, actor, action, subject, reason?, details? }`. */
function entryOf(r: AuditChainRow): Record<string, unknown> {
  return {
    at: new Date(r.at).toISOString(),
    actor: r.actor,
    action: r.action,
    subject: r.subject,
    ...(r.reason !== null && r.reason !== undefined ? { reason: r.reason } : {}),
    ...(r.details !== null && r.details !== undefined ? { details: r.details } : {}),
  };
}

/**
 * Re-derive the audit log's hash chain: each row must name the hash of the row before it and hash to
 * its own stored hash. An edited row (a changed actor, reason, detail, time) breaks its own hash; a
 * deleted or inserted row breaks the link of the next. Pure: the caller reads the rows in id order.
 */
export function verifyAuditChain(rows: AuditChainRow[]): AuditChainReport {
  const breaks: AuditChainBreak[] = [];
  let prev = CHAIN_GENESIS;
  for (const r of rows) {
    const id = Number(r.id);
    if (r.prev_hash !== prev) breaks.push({ id, problem: 'unlinked', message: `第 ${id} 条记录与前一条记录不相连（之前的记录被删除、插入或改动）` });
    const expected = chainNext(r.prev_hash, entryOf(r));
    if (expected !== r.hash) breaks.push({ id, problem: 'edited', message: `第 ${id} 条记录（${r.action}，${r.subject}）的内容与其哈希不符：记录被改动过` });
    prev = r.hash;
  }
  return { rows: rows.length, head: prev, ok: breaks.length === 0, breaks };
}

/** Read an `audit_event` table in id order, in pages, and verify its chain. */
export async function verifyAuditTable(ds: DataSource, onProgress?: (done: number) => void): Promise<AuditChainReport> {
  const rows: AuditChainRow[] = [];
  let after = 0;
  for (;;) {
    const page: AuditChainRow[] = await ds.query('SELECT id, at, actor, action, subject, reason, details, prev_hash, hash FROM audit_event WHERE id > $1 ORDER BY id LIMIT 5000', [after]);
    if (page.length === 0) break;
    rows.push(...page);
    after = Number(page[page.length - 1].id);
    onProgress?.(rows.length);
  }
  return verifyAuditChain(rows);
}
