import { Inject, Injectable } from '@nestjs/common';
import { AuditEventRow, AuditLogPage, AuditLogQuery } from '@kaowu/contracts';
import { DomainError, parseInput } from '@kaowu/server-kit';
import { PROVINCIAL_CONTEXT, ProvincialContext } from '../provincial-context';

type Filters = Omit<AuditLogQuery, 'page' | 'pageSize'>;
interface EventRow {
  id: string;
  at: Date;
  actor: string;
  action: string;
  subject: string;
  reason: string | null;
  details: Record<string, unknown> | null;
}

const toEvent = (r: EventRow): AuditEventRow => ({ id: Number(r.id), at: new Date(r.at).toISOString(), actor: r.actor, action: r.action, subject: r.subject, reason: r.reason, details: r.details });

/**
 * 操作日志: the hash-chained audit log, paged and filtered (actor contains, action exact or a
 * 'family.' prefix, a time range), newest first; and the same filtered list in batches for export.
 */
@Injectable()
export class AuditLogQueryService {
  constructor(@Inject(PROVINCIAL_CONTEXT) private readonly ctx: ProvincialContext) {}

  parse(query: unknown): AuditLogQuery {
    const q = parseInput(AuditLogQuery, query ?? {}, '操作日志查询');
    if (q.from && q.to && new Date(q.from) > new Date(q.to)) throw new DomainError('VALIDATION_FAILED', '开始时间不能晚于结束时间', 'from must not be after to', 'from');
    return q;
  }

  async page(query: unknown): Promise<AuditLogPage> {
    const q = this.parse(query);
    const { where, params } = this.where(q);
    const [{ total }] = await this.ctx.db.dataSource.query(`SELECT count(*)::int AS total FROM audit_event WHERE ${where}`, params);
    const rows: EventRow[] = await this.ctx.db.dataSource.query(
      `SELECT id, at, actor, action, subject, reason, details FROM audit_event WHERE ${where} ORDER BY id DESC LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`,
      params,
    );
    return { total, page: q.page, pageSize: q.pageSize, events: rows.map(toEvent) };
  }

  /** The actions in the log, for the console's filter. */
  async actions(): Promise<string[]> {
    const rows: { action: string }[] = await this.ctx.db.dataSource.query('SELECT DISTINCT action FROM audit_event ORDER BY action');
    return rows.map((r) => r.action);
  }

  /** Every matching event, newest first, 5,000 at a time (keyset on id). */
  async *batches(filters: Filters): AsyncGenerator<AuditEventRow[]> {
    const { where, params } = this.where(filters);
    let beforeId: string | null = null;
    for (;;) {
      const rows: EventRow[] = await this.ctx.db.dataSource.query(
        `SELECT id, at, actor, action, subject, reason, details FROM audit_event WHERE ${where} AND ($${params.length + 1}::bigint IS NULL OR id < $${params.length + 1}) ORDER BY id DESC LIMIT 5000`,
        [...params, beforeId],
      );
      if (rows.length === 0) return;
      yield rows.map(toEvent);
      beforeId = rows[rows.length - 1].id;
    }
  }

  private where(f: Filters): { where: string; params: unknown[] } {
    const action = f.action ?? null;
    return {
      where: `($1::text IS NULL OR strpos(actor, $1) > 0)
        AND ($2::text IS NULL OR action = $2 OR (right($2, 1) = '.' AND left(action, length($2)) = $2))
        AND ($3::timestamptz IS NULL OR at >= $3) AND ($4::timestamptz IS NULL OR at <= $4)`,
      params: [f.actor || null, action, f.from ?? null, f.to ?? null],
    };
  }
}
