import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { AuditEventRow, IssueStaffToken, StaffToken, StaffTokenIssued } from '@kaowu/contracts';
import { beijingDateTimeText } from '@kaowu/planning-domain';
import { DomainError, parseInput } from '@kaowu/server-kit';
import { returnedRows } from '@kaowu/persistence';
import { PROVINCIAL_CONTEXT, ProvincialContext } from '../provincial-context';
import { ProvincialAuditLog } from '../store/audit-log';
import type { StaffPrincipal } from './staff-principal';

interface TokenRow {
  token_id: string;
  label: string;
  role: StaffToken['role'];
  region_code: string | null;
  issued_at: Date;
  issued_by: string;
  revoked_at: Date | null;
  expires_at: Date;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const DAY_MS = 24 * 60 * 60 * 1000;
const toToken = (r: TokenRow, now: Date): StaffToken => ({
  tokenId: r.token_id, label: r.label, role: r.role, regionCode: r.region_code, issuedAt: new Date(r.issued_at).toISOString(), issuedBy: r.issued_by,
  revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null,
  expiresAt: new Date(r.expires_at).toISOString(),
  status: r.revoked_at ? 'revoked' : new Date(r.expires_at) <= now ? 'expired' : 'active',
});

/** Staff API tokens: issued by the provincial admin, shown once, stored as a SHA-256 of a 256-bit secret. */
@Injectable()
export class StaffTokenService {
  constructor(
    @Inject(PROVINCIAL_CONTEXT) private readonly ctx: ProvincialContext,
    @Inject(ProvincialAuditLog) private readonly audit: ProvincialAuditLog,
  ) {}

  private get ds() {
    return this.ctx.db.dataSource;
  }

  async issue(input: unknown, actor: string): Promise<StaffTokenIssued> {
    const t = parseInput(IssueStaffToken, input, '工作人员令牌');
    if (t.regionCode) {
      const [region] = await this.ds.query('SELECT 1 FROM region WHERE region_code = $1', [t.regionCode]);
      if (!region) throw new DomainError('VALIDATION_FAILED', `地区 ${t.regionCode} 不存在`, `region ${t.regionCode} not found`, 'regionCode');
    }
    const tokenId = `st_${randomBytes(6).toString('hex')}`;
    // The token names its id so a leaked one can be recognised and revoked from the log.
    const token = `kws_${tokenId.slice(3)}_${randomBytes(32).toString('base64url')}`;
    const now = this.ctx.clock.now();
    const expiresAt = new Date(now.getTime() + t.validDays * DAY_MS).toISOString();
    const row = await this.ds.transaction(async (em) => {
      const [inserted] = returnedRows<TokenRow>(await em.query(
        'INSERT INTO staff_token (token_id, label, role, region_code, secret_sha256, issued_at, issued_by, expires_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING *',
        [tokenId, t.label, t.role, t.regionCode ?? null, sha256(token), now.toISOString(), actor, expiresAt],
      ));
      await this.audit.record({ actor, action: 'staff_token.issued', subject: tokenId, details: { label: t.label, role: t.role, regionCode: t.regionCode ?? null, expiresAt } }, em);
      return inserted;
    });
    return { ...toToken(row, now), token };
  }

  async list(): Promise<StaffToken[]> {
    const rows: TokenRow[] = await this.ds.query('SELECT * FROM staff_token ORDER BY issued_at, token_id');
    const now = this.ctx.clock.now();
    return rows.map((r) => toToken(r, now));
  }

  async revoke(tokenId: string, actor: string): Promise<StaffToken> {
    return this.ds.transaction(async (em) => {
      const [row] = returnedRows<TokenRow>(await em.query('UPDATE staff_token SET revoked_at = coalesce(revoked_at, $2) WHERE token_id = $1 RETURNING *', [tokenId, this.ctx.clock.now().toISOString()]));
      if (!row) throw new DomainError('NOT_FOUND', `令牌 ${tokenId} 不存在`, `token ${tokenId} not found`, 'tokenId');
      await this.audit.record({ actor, action: 'staff_token.revoked', subject: tokenId }, em);
      return toToken(row, this.ctx.clock.now());
    });
  }

  /** 退出: revoke the caller's own token (the bootstrap token is not a session and cannot sign out). */
  async signOut(staff: StaffPrincipal): Promise<StaffToken> {
    if (!staff.tokenId) throw new DomainError('CONFLICT', '引导令牌不是登录会话，不能退出；请在配置中更换 PROVINCIAL_ADMIN_TOKEN', 'the bootstrap token is not a session; rotate PROVINCIAL_ADMIN_TOKEN instead', 'authorization');
    return this.revoke(staff.tokenId, `${staff.actor} (signed out)`);
  }

  /** The principal of a bearer secret, or null for an unknown or revoked one; an expired one is refused with TOKEN_EXPIRED. */
  async principalOf(secret: string): Promise<StaffPrincipal | null> {
    const [row]: TokenRow[] = await this.ds.query('SELECT * FROM staff_token WHERE secret_sha256 = $1 AND revoked_at IS NULL', [sha256(secret)]);
    if (!row) return null;
    const expiresAt = new Date(row.expires_at);
    if (expiresAt <= this.ctx.clock.now())
      throw new DomainError(
        'TOKEN_EXPIRED',
        `令牌“${row.label}”已于 ${beijingDateTimeText(expiresAt)}（北京时间）过期，请联系省级考办重新签发`,
        `the token "${row.label}" expired at ${expiresAt.toISOString()}; ask the provincial admin for a new one`,
        'authorization',
        { tokenId: row.token_id, expiresAt: expiresAt.toISOString() },
      );
    return { actor: `${row.label} (${row.role}${row.region_code ? `@${row.region_code}` : ''}, ${row.token_id})`, role: row.role, regionCode: row.region_code, tokenId: row.token_id, issuedBy: row.issued_by };
  }

  /** The newest audit events first (for the auditor and the console). */
  async auditEvents(opts: { limit?: number; beforeId?: number; actor?: string }): Promise<AuditEventRow[]> {
    const limit = Math.min(Math.max(Math.trunc(opts.limit ?? 100), 1), 1000);
    const rows: { id: string; at: Date; actor: string; action: string; subject: string; reason: string | null; details: Record<string, unknown> | null }[] = await this.ds.query(
      `SELECT id, at, actor, action, subject, reason, details FROM audit_event
       WHERE ($1::bigint IS NULL OR id < $1) AND ($2::text IS NULL OR actor = $2) ORDER BY id DESC LIMIT ${limit}`,
      [opts.beforeId ?? null, opts.actor ?? null],
    );
    return rows.map((r) => ({ id: Number(r.id), at: new Date(r.at).toISOString(), actor: r.actor, action: r.action, subject: r.subject, reason: r.reason, details: r.details }));
  }
}
