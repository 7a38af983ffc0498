import { z } from 'zod';
import { Code, IsoDateTime, TicketNo, signed } from './common';
import { ResultManifest, SignedReceipt } from './result-package';

/**
 * 回收完整性: where each room of a session stands at the province. `late` is past the
 * 30-minute deadline without a verified package (or verified after it: `receivedLate`).
 */
export const RoomIntakeState = z.enum(['not_started', 'in_progress', 'awaiting_upload', 'sealed', 'uploaded', 'verified', 'late', 'failed']);
export type RoomIntakeState = z.infer<typeof RoomIntakeState>;

export const RoomCompleteness = z.object({
  venueCode: Code,
  venueName: z.string(),
  roomCode: Code,
  sessionId: Code,
  state: RoomIntakeState,
  startsAt: IsoDateTime,
  endsAt: IsoDateTime,
  deadlineAt: IsoDateTime,
  /** Seconds left to the deadline on the province's clock; negative once past. */
  secondsToDeadline: z.number().int(),
  expectedCandidates: z.number().int().nonnegative(),
  /** Candidates in the verified package who sat the exam; null until verified. */
  presentCandidates: z.number().int().nonnegative().nullable(),
  packageId: z.string().nullable(),
  receivedAt: IsoDateTime.nullable(),
  receivedLate: z.boolean(),
  confirmedBytes: z.number().int().nonnegative().nullable(),
  totalBytes: z.number().int().nonnegative().nullable(),
  /** The intake's refusal code and message (zh-CN) of the last failed attempt. */
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
});
export type RoomCompleteness = z.infer<typeof RoomCompleteness>;

export const SessionCompleteness = z.object({
  sessionId: Code,
  serverTime: IsoDateTime,
  counts: z.record(RoomIntakeState, z.number().int().nonnegative()),
  rooms: z.array(RoomCompleteness),
});
export type SessionCompleteness = z.infer<typeof SessionCompleteness>;

/** A verified room package opened up: the signed manifest, the receipt, and who was absent (缺考). */
export const RoomPackageDetail = z.object({
  manifest: signed(ResultManifest),
  receipt: SignedReceipt,
  absent: z.array(z.object({ ticketNo: TicketNo, name: z.string() })),
});
export type RoomPackageDetail = z.infer<typeof RoomPackageDetail>;

/** A session some venue received a package for: the sittings the dashboard can show. */
export const IntakeSession = z.object({ sessionId: Code, startsAt: IsoDateTime, endsAt: IsoDateTime, venues: z.number().int().nonnegative() });
export type IntakeSession = z.infer<typeof IntakeSession>;
