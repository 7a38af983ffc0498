import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { DecideApproval, RegisterVenueKey, RequestVenueKeyChange, VenueKeyChange } from '@kaowu/contracts';
import { fromBase64, keyFingerprint } from '@kaowu/crypto';
import { DomainError, parseInput } from '@kaowu/server-kit';
import { returnedRows } from '@kaowu/persistence';
import { PROVINCIAL_CONTEXT, ProvincialContext } from '../provincial-context';
import { ProvincialAuditLog } from '../store/audit-log';
import type { StaffPrincipal } from '../auth/staff-principal';
import { VenuePackageExporter } from '../planning/venue-package-exporter.service';

const KIND = 'venue-key-change';
/** A session counts as open (its package in use) from its freeze until a day after its start. */
const OPEN_HOURS = 24;

interface RequestRow {
  request_id: string;
  subject: string;
  payload: { keyId: string; signingPublicKey: string; boxPublicKey: string; reissuePulledPackages: boolean; currentKeyId: string | null; currentFingerprint: string | null; reissuedPackages?: string[] };
  reason: string;
  requested_by: string;
  requested_token: string;
  requested_at: Date;
  state: 'pending' | 'approved' | 'rejected';
  decided_by: string | null;
  decided_at: Date | null;
  decision_reason: string | null;
}

const toChange = (r: RequestRow): VenueKeyChange => ({
  requestId: r.request_id,
  venueCode: r.subject,
  state: r.state,
  reason: r.reason,
  currentKeyId: r.payload.currentKeyId,
  currentFingerprint: r.payload.currentFingerprint,
  newKeyId: r.payload.keyId,
  newFingerprint: keyFingerprint(r.payload),
  reissuePulledPackages: r.payload.reissuePulledPackages,
  requestedBy: r.requested_by,
  requestedAt: new Date(r.requested_at).toISOString(),
  decidedBy: r.decided_by,
  decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
  decisionReason: r.decision_reason,
  reissuedPackages: r.payload.reissuedPackages ?? [],
});

type VenueKeyRow = { key_id: string | null; signing_public_key: string | null; box_public_key: string | null };
const fingerprintOf = (v: VenueKeyRow): string | null => (v.signing_public_key && v.box_public_key ? keyFingerprint({ signingPublicKey: v.signing_public_key, boxPublicKey: v.box_public_key }) : null);

/** How a principal is told apart from another for the two-person rule: its token, else its actor. */
const personOf = (p: StaffPrincipal) => p.tokenId ?? p.actor;

function checkKeys(k: RegisterVenueKey): void {
  if (fromBase64(k.signingPublicKey).length !== 32 || fromBase64(k.boxPublicKey).length !== 32)
    throw new DomainError('VALIDATION_FAILED', '公钥长度不正确（应为 32 字节）', 'public keys must be 32 bytes', 'signingPublicKey');
}

/**
 * 考点密钥登记与更换. The first key of a venue is registered by a provincial admin (logged with its
 * fingerprint, which the venue's technician reads aloud to compare). Changing it afterwards — the
 * way to hijack a venue's packages — needs a reason, a second provincial admin's approval (not the
 * requester, nor a token the requester issued), and is refused while the venue holds a pulled
 * package of an open session unless the change re-issues those packages to the new key.
 */
@Injectable()
export class VenueKeyChangeService {
  constructor(
    @Inject(PROVINCIAL_CONTEXT) private readonly ctx: ProvincialContext,
    @Inject(ProvincialAuditLog) private readonly audit: ProvincialAuditLog,
    @Inject(VenuePackageExporter) private readonly exporter: VenuePackageExporter,
  ) {}

  private get ds() {
    return this.ctx.db.dataSource;
  }

  private async venueKey(venueCode: string, em: EntityManager = this.ds.manager) {
    const [venue]: VenueKeyRow[] = await em.query(
      'SELECT key_id, signing_public_key, box_public_key FROM venue WHERE venue_code = $1',
      [venueCode],
    );
    if (!venue) throw new DomainError('NOT_FOUND', `考点 ${venueCode} 不存在`, `venue ${venueCode} not found`, 'venueCode');
    return venue;
  }

  /** 登记考点公钥: the first key only (or the same key again); a different key is a change request. */
  async registerFirst(venueCode: string, input: unknown, staff: StaffPrincipal): Promise<{ venueCode: string; keyId: string; fingerprint: string }> {
    const k = parseInput(RegisterVenueKey, input, '考点公钥');
    checkKeys(k);
    const fingerprint = keyFingerprint(k);
    const current = await this.venueKey(venueCode);
    if (current.key_id) {
      if (current.key_id === k.keyId && current.signing_public_key === k.signingPublicKey && current.box_public_key === k.boxPublicKey) return { venueCode, keyId: k.keyId, fingerprint };
      throw new DomainError(
        'APPROVAL_REQUIRED',
        `考点 ${venueCode} 已登记密钥（指纹 ${fingerprintOf(current)}）；更换密钥须提交更换申请并写明原因，由另一位省级管理员批准`,
        `venue ${venueCode} already has a key; a change needs a request with a reason, approved by a second provincial admin (POST /venues/${venueCode}/key-changes)`,
        'keyId',
        { currentKeyId: current.key_id },
      );
    }
    await this.ds.transaction(async (em) => {
      const rows = returnedRows(await em.query(
        'UPDATE venue SET key_id = $2, signing_public_key = $3, box_public_key = $4, keys_registered_at = $5 WHERE venue_code = $1 AND key_id IS NULL RETURNING venue_code',
        [venueCode, k.keyId, k.signingPublicKey, k.boxPublicKey, this.ctx.clock.now().toISOString()],
      ));
      if (rows.length === 0) throw new DomainError('CONFLICT', `考点 ${venueCode} 的密钥刚被登记，请刷新后核对`, `venue ${venueCode} got a key meanwhile`, 'keyId');
      await this.audit.record({ actor: staff.actor, action: 'venue.key_registered', subject: venueCode, details: { keyId: k.keyId, fingerprint } }, em);
    });
    return { venueCode, keyId: k.keyId, fingerprint };
  }

  /** 更换申请: waits for a second provincial admin. */
  async request(venueCode: string, input: unknown, staff: StaffPrincipal): Promise<VenueKeyChange> {
    const k = parseInput(RequestVenueKeyChange, input, '更换考点密钥申请');
    checkKeys(k);
    const current = await this.venueKey(venueCode);
    if (!current.key_id) throw new DomainError('CONFLICT', `考点 ${venueCode} 尚未登记密钥，请直接登记`, `venue ${venueCode} has no key yet; register it directly`, 'venueCode');
    if (current.key_id === k.keyId) throw new DomainError('CONFLICT', '新密钥与当前密钥相同', 'the new key is the current key', 'keyId');
    const requestId = `kc_${randomBytes(6).toString('hex')}`;
    const currentFingerprint = fingerprintOf(current);
    const payload: RequestRow['payload'] = { keyId: k.keyId, signingPublicKey: k.signingPublicKey, boxPublicKey: k.boxPublicKey, reissuePulledPackages: k.reissuePulledPackages, currentKeyId: current.key_id, currentFingerprint };
    try {
      await this.ds.transaction(async (em) => {
        await em.query(
          `INSERT INTO approval_request (request_id, kind, subject, payload, reason, requested_by, requested_token, requested_at, state) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,'pending')`,
          [requestId, KIND, venueCode, JSON.stringify(payload), k.reason, staff.actor, personOf(staff), this.ctx.clock.now().toISOString()],
        );
        await this.audit.record({ actor: staff.actor, action: 'venue.key_change_requested', subject: venueCode, reason: k.reason, details: { requestId, currentKeyId: current.key_id, currentFingerprint, newKeyId: k.keyId, newFingerprint: keyFingerprint(k), reissuePulledPackages: k.reissuePulledPackages } }, em);
      });
    } catch (error) {
      if ((error as { driverError?: { code?: string }; code?: string }).driverError?.code === '23505' || (error as { code?: string }).code === '23505')
        throw new DomainError('CONFLICT', `考点 ${venueCode} 已有一项待批准的密钥更换申请`, `venue ${venueCode} already has a pending key change`, 'venueCode');
      throw error;
    }
    return this.get(requestId);
  }

  async get(requestId: string): Promise<VenueKeyChange> {
    const [row]: RequestRow[] = await this.ds.query('SELECT * FROM approval_request WHERE request_id = $1 AND kind = $2', [requestId, KIND]);
    if (!row) throw new DomainError('NOT_FOUND', `密钥更换申请 ${requestId} 不存在`, `key change ${requestId} not found`, 'requestId');
    return toChange(row);
  }

  async list(venueCode?: string): Promise<VenueKeyChange[]> {
    const rows: RequestRow[] = await this.ds.query('SELECT * FROM approval_request WHERE kind = $1 AND ($2::text IS NULL OR subject = $2) ORDER BY requested_at DESC, request_id', [KIND, venueCode ?? null]);
    return rows.map(toChange);
  }

  async reject(requestId: string, input: unknown, staff: StaffPrincipal): Promise<VenueKeyChange> {
    const { reason } = parseInput(DecideApproval, input ?? {}, '驳回');
    await this.ds.transaction(async (em) => {
      const row = await this.pending(em, requestId);
      this.assertSecondPerson(row, staff);
      await em.query(`UPDATE approval_request SET state = 'rejected', decided_by = $2, decided_token = $3, decided_at = $4, decision_reason = $5 WHERE request_id = $1`, [requestId, staff.actor, personOf(staff), this.ctx.clock.now().toISOString(), reason ?? null]);
      await this.audit.record({ actor: staff.actor, action: 'venue.key_change_rejected', subject: row.subject, reason: reason ?? undefined, details: { requestId } }, em);
    });
    return this.get(requestId);
  }

  /** 批准: the key is changed, and — if the request said so — pulled packages of open sessions are re-issued to it. */
  async approve(requestId: string, input: unknown, staff: StaffPrincipal): Promise<VenueKeyChange> {
    const { reason } = parseInput(DecideApproval, input ?? {}, '批准');
    const now = this.ctx.clock.now();
    const venueCode = await this.ds.transaction(async (em) => {
      const row = await this.pending(em, requestId);
      this.assertSecondPerson(row, staff);
      const venueCode = row.subject;
      const pulled: { package_id: string; session_id: string }[] = await em.query(
        `SELECT p.package_id, p.session_id FROM venue_package p JOIN exam_session s ON s.session_id = p.session_id
         WHERE p.venue_code = $1 AND p.pulled_at IS NOT NULL AND s.starts_at + make_interval(hours => $2) > $3 ORDER BY p.package_id`,
        [venueCode, OPEN_HOURS, now.toISOString()],
      );
      if (pulled.length > 0 && !row.payload.reissuePulledPackages)
        throw new DomainError(
          'KEY_CHANGE_REFUSED',
          `考点 ${venueCode} 已下载进行中场次的考试包（${pulled.map((p) => p.package_id).join('、')}），不能直接更换密钥；请重新提交申请并选择“同时重新生成考试包”`,
          `venue ${venueCode} has pulled packages of open sessions (${pulled.map((p) => p.package_id).join(', ')}); a key change must re-issue them`,
          'requestId',
          { packages: pulled.map((p) => p.package_id) },
        );
      const current = await this.venueKey(venueCode, em);
      if (current.key_id !== row.payload.currentKeyId)
        throw new DomainError('CONFLICT', `考点 ${venueCode} 的密钥在申请后已变化，请重新提交申请`, `the key of venue ${venueCode} changed since the request`, 'requestId');
      await em.query('UPDATE venue SET key_id = $2, signing_public_key = $3, box_public_key = $4, keys_registered_at = $5 WHERE venue_code = $1', [
        venueCode, row.payload.keyId, row.payload.signingPublicKey, row.payload.boxPublicKey, now.toISOString(),
      ]);
      const payload = { ...row.payload, reissuedPackages: pulled.map((p) => p.package_id) };
      await em.query(`UPDATE approval_request SET state = 'approved', payload = $2, decided_by = $3, decided_token = $4, decided_at = $5, decision_reason = $6 WHERE request_id = $1`, [
        requestId, JSON.stringify(payload), staff.actor, personOf(staff), now.toISOString(), reason ?? null,
      ]);
      await this.audit.record({ actor: staff.actor, action: 'venue.key_changed', subject: venueCode, reason: row.reason, details: { requestId, requestedBy: row.requested_by, previousKeyId: row.payload.currentKeyId, previousFingerprint: row.payload.currentFingerprint, keyId: row.payload.keyId, fingerprint: keyFingerprint(row.payload), reissued: payload.reissuedPackages } }, em);
      return venueCode;
    });
    // Packages built for the old key (of sessions not yet pulled, too) are rebuilt for the new one.
    const built: { session_id: string }[] = await this.ds.query('SELECT p.session_id FROM venue_package p JOIN exam_session s ON s.session_id = p.session_id WHERE p.venue_code = $1 AND s.starts_at + make_interval(hours => $2) > $3', [venueCode, OPEN_HOURS, now.toISOString()]);
    for (const { session_id } of built) await this.exporter.reissue(venueCode, session_id, `考点密钥已更换（申请 ${requestId}）`, staff.actor);
    return this.get(requestId);
  }

  private async pending(em: EntityManager, requestId: string): Promise<RequestRow> {
    const [row]: RequestRow[] = await em.query('SELECT * FROM approval_request WHERE request_id = $1 AND kind = $2 FOR UPDATE', [requestId, KIND]);
    if (!row) throw new DomainError('NOT_FOUND', `密钥更换申请 ${requestId} 不存在`, `key change ${requestId} not found`, 'requestId');
    if (row.state !== 'pending') throw new DomainError('CONFLICT', `该申请已${row.state === 'approved' ? '批准' : '驳回'}`, `the request is already ${row.state}`, 'requestId');
    return row;
  }

  /** Two people: not the requester, not the same token, not a token the requester issued. */
  private assertSecondPerson(row: RequestRow, staff: StaffPrincipal): void {
    if (personOf(staff) === row.requested_token || staff.actor === row.requested_by || (staff.issuedBy ?? null) === row.requested_by)
      throw new DomainError(
        'APPROVAL_REQUIRED',
        '密钥更换须由另一位省级管理员批准：申请人本人（或其签发的令牌）不能批准或驳回',
        'a second provincial admin must decide: not the requester, nor a token the requester issued',
        'authorization',
        { requestedBy: row.requested_by },
      );
  }
}
