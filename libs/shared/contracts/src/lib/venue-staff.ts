import { z } from 'zod';
import { Code, IsoDateTime } from './common';
import { ExtensionRequest, SessionPhase } from './exam-socket';
import { VenueStaffRole } from './venue-package';

/** Sign-in of a 主考 or 技术负责人 with the 工号 and access code issued with the venue package. */
export const StaffSignIn = z.object({
  staffNo: Code,
  accessCode: z.string().trim().min(8, '口令至少 8 位').max(64),
});
export type StaffSignIn = z.infer<typeof StaffSignIn>;

/** A signed-in venue staff member: the bearer token for the technician endpoints. */
export const StaffSession = z.object({
  token: z.string(),
  staffNo: Code,
  role: VenueStaffRole,
  name: z.string(),
  expiresAt: IsoDateTime,
});
export type StaffSession = z.infer<typeof StaffSession>;

/** 主考 on the console: the venue overview, opening any room, deciding 补时 requests. */
export const ChiefEvent = {
  join: 'chief:join',
  /** Server → chief: the overview again after any change (at most every 500 ms). */
  overview: 'chief:overview',
  openRoom: 'chief:open-room',
  leaveRoom: 'chief:leave-room',
  decideExtension: 'chief:decide-extension',
} as const;

/** The chief examiner joins the live overview with the token from the sign-in. */
export const ChiefJoin = z.object({ token: z.string().min(20).max(200) });
export type ChiefJoin = z.infer<typeof ChiefJoin>;

export const ChiefOpenRoom = z.object({ roomCode: Code });
export type ChiefOpenRoom = z.infer<typeof ChiefOpenRoom>;

export const DecideExtension = z.object({
  requestId: z.string().min(1).max(64),
  approve: z.boolean(),
  note: z.string().trim().min(2, '请填写审批意见').max(500),
});
export type DecideExtension = z.infer<typeof DecideExtension>;

/** One room as the chief examiner sees it from the venue overview. */
export const ChiefRoomOverview = z.object({
  roomCode: Code,
  name: z.string(),
  expected: z.number().int().nonnegative(),
  loggedIn: z.number().int().nonnegative(),
  answering: z.number().int().nonnegative(),
  submitted: z.number().int().nonnegative(),
  absent: z.number().int().nonnegative(),
  machinesOnline: z.number().int().nonnegative(),
  incidents: z.number().int().nonnegative(),
  pendingExtensions: z.number().int().nonnegative(),
});
export type ChiefRoomOverview = z.infer<typeof ChiefRoomOverview>;

export const ChiefOverview = z.object({
  venueName: z.string(),
  sessionId: Code.nullable(),
  phase: SessionPhase.nullable(),
  serverTime: IsoDateTime,
  rooms: z.array(ChiefRoomOverview),
  /** Pending requests first, then the decided ones of the session (latest first). */
  extensionRequests: z.array(ExtensionRequest),
});
export type ChiefOverview = z.infer<typeof ChiefOverview>;
