import { z } from 'zod';
import { CreateSitting } from './planning-api';

/**
 * 修改考试计划: the whole plan again, without its code. Once candidates have registered, the
 * subjects and batches (their codes and order) stay; names, durations, dates, times and the rules may change.
 */
export const UpdateSitting = CreateSitting.omit({ sittingCode: true });
export type UpdateSitting = z.infer<typeof UpdateSitting>;

/** A room of a venue as the planning screens show it: layout, 5% spare machines, proctors. */
export const VenueRoomOverview = z.object({
  roomCode: z.string(),
  name: z.string(),
  rows: z.number().int(),
  cols: z.number().int(),
  seats: z.number().int(),
  spareMachines: z.number().int(),
  allocatable: z.number().int(),
  /** 备用考场: kept empty by the allocation. */
  spareRoom: z.boolean(),
  proctorsAssigned: z.number().int().nullable(),
  /** From the sitting's latest allocation (its busiest subject in the room); null without an allocated sitting. */
  candidates: z.number().int().nullable(),
  proctorsRequired: z.object({ min: z.number().int(), max: z.number().int() }).nullable(),
  staffing: z.enum(['ok', 'PROCTORS_TOO_FEW', 'PROCTORS_TOO_MANY', 'UNASSIGNED']).nullable(),
});
export type VenueRoomOverview = z.infer<typeof VenueRoomOverview>;

export const VenueOverview = z.object({
  venueCode: z.string(),
  name: z.string(),
  regionCode: z.string().nullable(),
  regionName: z.string().nullable(),
  address: z.string().nullable(),
  spareRoomCode: z.string().nullable(),
  technicalContacts: z.array(z.object({ name: z.string(), phone: z.string(), role: z.enum(['chief', 'technician', 'lab-admin']) })),
  /** 考点服务器公钥已登记 */
  keyRegistered: z.boolean(),
  keyId: z.string().nullable(),
  /** 公钥指纹 (5 groups of 4 hex digits), read aloud to the venue's technician to compare. */
  keyFingerprint: z.string().nullable(),
  /** 考试管理机: one per room plus spares. */
  managementMachines: z.object({ perRoom: z.number().int(), spare: z.number().int(), total: z.number().int() }),
  rooms: z.array(VenueRoomOverview),
});
export type VenueOverview = z.infer<typeof VenueOverview>;

/** 网上打印准考证: what a candidate's page lists (no staff token): each sitting and when printing opens. */
export const TicketPrintingSitting = z.object({ sittingCode: z.string(), name: z.string(), opensAt: z.string().nullable(), open: z.boolean() });
export type TicketPrintingSitting = z.infer<typeof TicketPrintingSitting>;
