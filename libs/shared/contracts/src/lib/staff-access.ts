import { z } from 'zod';
import { Code } from './common';

/**
 * Who may do what at the province: 省级考办 (everything), 市、州 考办 (their own region's venues,
 * registrants, allocation report and tickets) and the read-only 审计 (reads everything, changes nothing).
 */
export const StaffRole = z.enum(['provincial-admin', 'municipal-admin', 'auditor']);
export type StaffRole = z.infer<typeof StaffRole>;

/** Issue an API token for a member of staff; a municipal admin's token is bound to one region. */
export const IssueStaffToken = z
  .object({
    label: z.string().trim().min(1).max(100),
    role: StaffRole,
    regionCode: Code.optional(),
  })
  .superRefine((t, ctx) => {
    if (t.role === 'municipal-admin' && !t.regionCode)
      ctx.addIssue({ code: 'custom', path: ['regionCode'], message: '市、州考办令牌必须指定地区 / a municipal admin token needs regionCode' });
    if (t.role !== 'municipal-admin' && t.regionCode)
      ctx.addIssue({ code: 'custom', path: ['regionCode'], message: '只有市、州考办令牌绑定地区 / only municipal admin tokens have a region' });
  });
export type IssueStaffToken = z.infer<typeof IssueStaffToken>;

export const StaffToken = z.object({
  tokenId: z.string(),
  label: z.string(),
  role: StaffRole,
  regionCode: z.string().nullable(),
  issuedAt: z.string(),
  issuedBy: z.string(),
  revokedAt: z.string().nullable(),
});
export type StaffToken = z.infer<typeof StaffToken>;

/** Returned once at issue: the bearer secret is never stored (only its SHA-256) nor shown again. */
export const StaffTokenIssued = StaffToken.extend({ token: z.string() });
export type StaffTokenIssued = z.infer<typeof StaffTokenIssued>;

/** Who the caller is, as the server sees it (the console adapts its screens to it). */
export const StaffIdentity = z.object({ actor: z.string(), role: StaffRole, regionCode: z.string().nullable() });
export type StaffIdentity = z.infer<typeof StaffIdentity>;

export const AuditEventRow = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  subject: z.string(),
  reason: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
});
export type AuditEventRow = z.infer<typeof AuditEventRow>;
