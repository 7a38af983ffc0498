import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { StaffSession, StaffSignIn, VenueStaffRole } from '@kaowu/contracts';
import { DomainError, parseInput } from '@kaowu/server-kit';
import { VENUE_CONTEXT, VenueContext } from '../venue-context';
import { AuditLog } from '../store/audit-log';
import { accessCodeMatches } from './access-code-hash';
import { RateLimiterMemory } from 'rate-limiter-flexible';

/** A 主考 or 技术负责人, known by the 工号 issued with the venue package. */
export interface VenueStaffMember {
  staffNo: string;
  role: VenueStaffRole;
  name: string;
}

/** A console session lasts one exam day. */
const SESSION_HOURS = 12;
/** Wrong codes for one 工号 before sign-in is locked for a while (guessing the code is not an option). */
const MAX_FAILURES = 5;
const MAX_SOURCE_FAILURES = 20;
const LOCK_MINUTES = 5;
/** Compared against when the 工号 is unknown, so an unknown 工号 costs as long as a known one. */
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

const tokenKey = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Sign-in of the venue's staff with the codes from the venue package. The venue keeps only a
 * hash of each code; sessions are held in memory (a restart asks everyone to sign in again).
 */
@Injectable()
export class VenueStaffService {
  private readonly sessions = new Map<string, VenueStaffMember & { expiresAt: Date }>();
  private readonly memberTries = new RateLimiterMemory({ keyPrefix: 'staff-member', points: 1_000_000, duration: LOCK_MINUTES * 60 });
  private readonly sourceTries = new RateLimiterMemory({ keyPrefix: 'staff-source', points: 1_000_000, duration: LOCK_MINUTES * 60 });

  constructor(
    @Inject(VENUE_CONTEXT) private readonly ctx: VenueContext,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  /**
   * 工号 + 口令 against the salted hash, one message whatever was wrong. Every try takes a point first
   * (rate-limiter-flexible, atomic) from the counter of this 工号 *from this address* and of the
   * address: 5 wrong codes for a 工号 from one address, or 20 from an address, stop that address for a
   * while — an attacker elsewhere on the LAN cannot lock the real 主考 out.
   */
  async verify(input: unknown, role?: VenueStaffRole, source = 'unknown'): Promise<VenueStaffMember> {
    const { staffNo, accessCode } = parseInput(StaffSignIn, input, '登录');
    // fixed windows on the venue's clock (the exam clock), so a lock ends when its window does
    const window = Math.floor(this.ctx.clock.now().getTime() / (LOCK_MINUTES * 60_000));
    const memberKey = `${staffNo}|${source}|${window}`;
    const sourceKey = `${source}|${window}`;
    const perMember = (await this.memberTries.consume(memberKey)).consumedPoints;
    const perSource = (await this.sourceTries.consume(sourceKey)).consumedPoints;
    if (perMember > MAX_FAILURES || perSource > MAX_SOURCE_FAILURES) {
      if (perMember === MAX_FAILURES + 1) await this.audit.record({ actor: `staff:${staffNo}`, action: 'staff.sign-in-locked', subject: staffNo, details: { source } });
      throw new DomainError('SIGN_IN_LOCKED', `口令错误次数过多，请于 ${LOCK_MINUTES} 分钟后再试`, `too many wrong codes; try again in ${LOCK_MINUTES} minutes`, 'accessCode');
    }
    const rows: { staff_no: string; role: VenueStaffRole; name: string; access_code_hash: string }[] = await this.ctx.db.dataSource.query(
      'SELECT staff_no, role, name, access_code_hash FROM venue_staff WHERE staff_no = $1',
      [staffNo],
    );
    const row = rows[0];
    const matches = await accessCodeMatches(accessCode, row?.access_code_hash ?? DUMMY_HASH);
    if (!row || !matches || (role && row.role !== role))
      throw new DomainError('UNAUTHORIZED', role === 'chief' ? '工号或口令不正确（须为主考）' : role === 'technician' ? '工号或口令不正确（须为技术负责人）' : '工号或口令不正确', 'staff number or access code is wrong', 'accessCode');
    await Promise.all([this.memberTries.delete(memberKey), this.sourceTries.reward(sourceKey, 1)]);
    return { staffNo: row.staff_no, role: row.role, name: row.name };
  }

  /** A bearer token for the technician endpoints (REST), valid for the exam day. */
  async signIn(input: unknown, source?: string): Promise<StaffSession> {
    const member = await this.verify(input, undefined, source);
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.ctx.clock.now().getTime() + SESSION_HOURS * 3600_000);
    this.sessions.set(tokenKey(token), { ...member, expiresAt });
    await this.audit.record({ actor: `${member.role}:${member.staffNo}`, action: 'staff.signed-in', subject: member.staffNo, details: { role: member.role, name: member.name } });
    return { token, ...member, expiresAt: expiresAt.toISOString() };
  }

  signOut(token: string): void {
    this.sessions.delete(tokenKey(token));
  }

  /** The signed-in member behind a token, or null when unknown or expired. */
  byToken(token: string): VenueStaffMember | null {
    const s = this.sessions.get(tokenKey(token));
    if (!s) return null;
    if (s.expiresAt <= this.ctx.clock.now()) {
      this.sessions.delete(tokenKey(token));
      return null;
    }
    return { staffNo: s.staffNo, role: s.role, name: s.name };
  }

  /**
   * The venue's administrative endpoints: a signed-in member of one of `roles`, or the appliance's
   * ADMIN_TOKEN (the CLI); without an ADMIN_TOKEN the venue box itself (loopback) may administer.
   * Returns the actor for the audit log.
   */
  authorize(req: Request, roles: readonly VenueStaffRole[] = ['technician']): string {
    const header = req.headers['authorization'];
    const bearer = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : null;
    const admin = this.ctx.config.ADMIN_TOKEN;
    if (bearer && admin && bearer.length === admin.length && timingSafeEqual(Buffer.from(bearer), Buffer.from(admin))) return 'technician';
    if (bearer) {
      const member = this.byToken(bearer);
      if (!member) throw new DomainError('UNAUTHORIZED', '登录已失效，请重新登录', 'sign-in expired or unknown; sign in again');
      if (!roles.includes(member.role))
        throw new DomainError('FORBIDDEN', `该操作须由${roles.map((r) => (r === 'chief' ? '主考' : '技术负责人')).join('或')}执行`, `only ${roles.join(' or ')} may do this`);
      return `${member.role}:${member.staffNo}`;
    }
    if (admin) throw new DomainError('UNAUTHORIZED', '请先以技术负责人身份登录', 'sign in as the venue technician first');
    const ip = req.socket.remoteAddress ?? '';
    if (!['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(ip)) throw new DomainError('UNAUTHORIZED', '请先以技术负责人身份登录', 'sign in as the venue technician first');
    return 'technician@localhost';
  }
}
