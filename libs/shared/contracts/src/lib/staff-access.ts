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
    /** 有效期: the token stops working this many days after issue (refused with TOKEN_EXPIRED). */
    validDays: z.number().int().min(1, '有效期至少 1 天 / at least 1 day').max(366, '有效期最长 366 天 / at most 366 days').default(30),
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
  expiresAt: z.string(),
  /** As of the server's clock: in use, past its expiry, or revoked. */
  status: z.enum(['active', 'expired', 'revoked']),
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

/** 操作日志 query: paged, filtered by actor (part of the name), action (exact or a 'prefix.' family) and time. */
export const AuditLogQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
  actor: z.string().trim().max(200).optional(),
  action: z.string().trim().regex(/^[a-z0-9_.-]{1,80}$/, '操作类型格式不正确 / invalid action').optional(),
  from: z.iso.datetime({ offset: true, message: '开始时间格式不正确 / from must be an ISO date-time' }).optional(),
  to: z.iso.datetime({ offset: true, message: '结束时间格式不正确 / to must be an ISO date-time' }).optional(),
});
export type AuditLogQuery = z.infer<typeof AuditLogQuery>;

export const AuditLogPage = z.object({ total: z.number().int(), page: z.number().int(), pageSize: z.number().int(), events: z.array(AuditEventRow) });
export type AuditLogPage = z.infer<typeof AuditLogPage>;

/** GET /audit-events query: numbers as the query string carries them, refused when not numbers. */
export const AuditEventsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  beforeId: z.coerce.number().int().positive().optional(),
  actor: z.string().max(200).optional(),
});
export type AuditEventsQuery = z.infer<typeof AuditEventsQuery>;

/** A page of a list as the query string carries it: whole numbers in range, refused otherwise (never Infinity in SQL). */
export const PageQuery = z.object({
  page: z.coerce.number().int('页码须为整数').min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int('每页条数须为整数').min(1).max(500).default(50),
});
export const RegistrantsQuery = PageQuery.extend({ regionCode: z.string().max(20).optional(), idNo: z.string().max(40).optional() });
export type RegistrantsQuery = z.infer<typeof RegistrantsQuery>;
/** 考点准考证批量打印: offset / limit in candidates. */
export const TicketBatchQuery = z.object({ offset: z.coerce.number().int().min(0).max(1_000_000).default(0), limit: z.coerce.number().int().min(1).max(5000).optional() });
export type TicketBatchQuery = z.infer<typeof TicketBatchQuery>;
