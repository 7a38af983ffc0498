import type { StaffRole } from '@kaowu/contracts';
import { DomainError } from '@kaowu/server-kit';

/** The member of staff behind a request: the actor written to the audit log, the role, the region of a 市、州 考办. */
export interface StaffPrincipal {
  actor: string;
  role: StaffRole;
  regionCode: string | null;
  /** The staff token behind the request; null for the bootstrap token and the local machine. */
  tokenId?: string | null;
  /** Who issued that token (the actor written when it was issued). */
  issuedBy?: string | null;
}

/** Route access levels, from least to most privileged. */
export type StaffAccessLevel =
  /** any member of staff, auditors included (regional data is scoped by the service) */
  | 'read'
  /** provincial or municipal admin (a municipal admin only within their region) */
  | 'change'
  /** 省级考办 only, plus read-only for the auditor when the route only reads */
  | 'provincial';

/** The region a principal is confined to, or null for province-wide roles (admin, auditor). */
export const regionScopeOf = (p: StaffPrincipal): string | null => (p.role === 'municipal-admin' ? p.regionCode : null);

/** Refuse a municipal admin anything of another region (or of no region yet). */
export function assertInRegion(p: StaffPrincipal, regionCode: string | null | undefined, what: string, whatEn: string, field: string): void {
  const scope = regionScopeOf(p);
  if (scope === null || scope === regionCode) return;
  throw new DomainError(
    'REGION_FORBIDDEN',
    `${what}不属于本地区（${scope}），市、州考办只能管理本地区的数据`,
    `${whatEn} is outside your region (${scope}); a municipal admin manages their own region only`,
    field,
    { regionCode: scope },
  );
}

export const roleForbidden = (p: StaffPrincipal, required: StaffRole[]) =>
  new DomainError(
    'ROLE_FORBIDDEN',
    p.role === 'auditor' ? '审计账号只能查看，不能修改任何数据' : '此操作只允许省级考办执行',
    p.role === 'auditor' ? 'an auditor may read but change nothing' : `this action needs the role ${required.join(' or ')}`,
    undefined,
    { role: p.role, required },
  );
