import { z } from 'zod';
import { CandidatePhoto, Code, Gender, IdNo, IsoDateTime, TicketNo } from './common';

/**
 * What a proctor records about the people in the room (as opposed to their machines and time):
 * 身份核验 and 签到, 违纪, 缺考, 强制交卷, 广播, and the end-of-session 核查 before sealing.
 * Every one of them is stored at the venue, audited with actor and time, and travels in the
 * room's result package.
 */

const Note = z.string().trim().min(2, '请填写说明').max(500);

/** 身份核验: at entry (签到, work plan step 8) or again during the exam (step 13). */
export const IdentityCheckPhase = z.enum(['entry', 'recheck']);
export type IdentityCheckPhase = z.infer<typeof IdentityCheckPhase>;
export const IdentityResult = z.enum(['verified', 'mismatch']);
export type IdentityResult = z.infer<typeof IdentityResult>;

export const RecordIdentityCheck = z
  .object({ ticketNo: TicketNo, phase: IdentityCheckPhase, result: IdentityResult, note: z.string().trim().max(500).optional() })
  .refine((c) => c.result === 'verified' || (c.note?.length ?? 0) >= 2, { message: '人证不符时必须填写说明', path: ['note'] });
export type RecordIdentityCheck = z.infer<typeof RecordIdentityCheck>;

/** 考生信息 for the proctor's identity check: the registration photo beside the details on the ID card. */
export const CandidateCardRequest = z.object({ ticketNo: TicketNo });
export type CandidateCardRequest = z.infer<typeof CandidateCardRequest>;
export const CandidateCard = z.object({
  ticketNo: TicketNo,
  name: z.string(),
  gender: Gender,
  idNo: IdNo,
  seatNo: z.number().int(),
  photo: CandidatePhoto.nullable(),
  checks: z.array(z.object({ phase: IdentityCheckPhase, result: IdentityResult, note: z.string().nullable(), actor: z.string(), at: IsoDateTime })),
});
export type CandidateCard = z.infer<typeof CandidateCard>;

/** 违纪 categories for a computer-based national exam (after 《国家教育考试违规处理办法》). */
export const ViolationCategory = z.enum([
  'unauthorised_items',
  'communication',
  'copying',
  'impersonation',
  'electronic_device',
  'leaving_seat',
  'machine_tampering',
  'disorder',
  'other',
]);
export type ViolationCategory = z.infer<typeof ViolationCategory>;

export const RecordViolation = z.object({ ticketNo: TicketNo, category: ViolationCategory, description: Note, evidence: z.string().trim().max(500).optional() });
export type RecordViolation = z.infer<typeof RecordViolation>;

export const IncidentKind = z.enum(['identity_mismatch', 'violation', 'forced_hand_in', 'absent']);
export type IncidentKind = z.infer<typeof IncidentKind>;

/** 考场记录: one event the room report and the province must see. */
export const Incident = z.object({
  incidentId: z.string(),
  kind: IncidentKind,
  ticketNo: TicketNo.nullable(),
  candidateName: z.string().nullable(),
  seatNo: z.number().int().nullable(),
  category: ViolationCategory.nullable(),
  description: z.string(),
  evidence: z.string().nullable(),
  actor: z.string(),
  at: IsoDateTime,
});
export type Incident = z.infer<typeof Incident>;

/** 缺考: a candidate who did not come by the late-login cutoff. */
export const MarkAbsent = z.object({ ticketNo: TicketNo, note: z.string().trim().max(500).optional() });
export type MarkAbsent = z.infer<typeof MarkAbsent>;

/** 强制交卷: the proctor ends one candidate's attempt (e.g. after a serious violation). */
export const ForceHandIn = z.object({ attemptId: z.string().min(1).max(64), reason: Note });
export type ForceHandIn = z.infer<typeof ForceHandIn>;

/** 广播: a message to every exam screen of the room. */
export const BroadcastMessage = z.object({ message: z.string().trim().min(2, '请填写广播内容').max(200) });
export type BroadcastMessage = z.infer<typeof BroadcastMessage>;
export const RoomMessagePush = z.object({ roomCode: Code, message: z.string(), at: IsoDateTime });
export type RoomMessagePush = z.infer<typeof RoomMessagePush>;
export const BroadcastAck = z.object({ delivered: z.number().int().nonnegative(), at: IsoDateTime });
export type BroadcastAck = z.infer<typeof BroadcastAck>;

/** 核查考生答题信息: what must be looked at before the room's results are sealed. */
export const AnomalyKind = z.enum(['zero_answers', 'offline_at_end', 'open_incident', 'identity_unchecked', 'absence_unconfirmed', 'still_answering']);
export type AnomalyKind = z.infer<typeof AnomalyKind>;
export const Anomaly = z.object({
  anomalyId: z.string(),
  kind: AnomalyKind,
  ticketNo: TicketNo.nullable(),
  candidateName: z.string().nullable(),
  seatNo: z.number().int().nullable(),
  detail: z.string(),
  acknowledged: z.object({ by: z.string(), at: IsoDateTime, note: z.string() }).nullable(),
});
export type Anomaly = z.infer<typeof Anomaly>;

export const VerificationRow = z.object({
  ticketNo: TicketNo,
  name: z.string(),
  seatNo: z.number().int(),
  status: z.enum(['not_logged_in', 'logged_in', 'in_progress', 'submitted', 'ended', 'absent']),
  identity: z.enum(['unchecked', 'verified', 'mismatch']),
  answered: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  machineOnline: z.boolean(),
  incidents: z.number().int().nonnegative(),
});
export type VerificationRow = z.infer<typeof VerificationRow>;

/** 封存上传: the room's sealed package on its way to the province, and the province's receipt. */
export const RoomUploadView = z.object({
  state: z.enum(['sealed', 'uploading', 'uploaded', 'refused']),
  packageId: z.string(),
  sealedAt: IsoDateTime,
  deadlineAt: IsoDateTime.nullable(),
  secondsToDeadline: z.number().int().nullable(),
  atRisk: z.boolean(),
  confirmedBytes: z.number().int().nonnegative(),
  totalBytes: z.number().int().nonnegative().nullable(),
  lastError: z.string().nullable(),
  receipt: z.object({ packageId: z.string(), manifestSha256: z.string(), attemptsImported: z.number().int().nonnegative(), receivedAt: IsoDateTime.optional() }).nullable(),
});
export type RoomUploadView = z.infer<typeof RoomUploadView>;

export const RoomVerification = z.object({
  roomCode: Code,
  sessionId: Code,
  expected: z.number().int().nonnegative(),
  loggedIn: z.number().int().nonnegative(),
  submitted: z.number().int().nonnegative(),
  ended: z.number().int().nonnegative(),
  absent: z.number().int().nonnegative(),
  rows: z.array(VerificationRow),
  anomalies: z.array(Anomaly),
  incidents: z.array(Incident),
  /** Every anomaly acknowledged and nobody still answering: the proctor may confirm. */
  canConfirm: z.boolean(),
  confirmed: z.object({ by: z.string(), at: IsoDateTime }).nullable(),
  /** null until the room is sealed (after the confirmation, or at autoSealAt). */
  upload: RoomUploadView.nullable(),
  /** Once nobody is answering: when the room is sealed and uploaded without a confirmation. */
  autoSealAt: IsoDateTime.nullable().optional(),
});
export type RoomVerification = z.infer<typeof RoomVerification>;

export const AcknowledgeAnomaly = z.object({ anomalyId: z.string().min(1).max(200), note: Note });
export type AcknowledgeAnomaly = z.infer<typeof AcknowledgeAnomaly>;

/** 考试操作规程: the room's 17 steps with when each is due and whether it is done. */
export const ProcedureStepView = z.object({
  no: z.number().int().min(1).max(17),
  text: z.string(),
  roles: z.array(z.enum(['chief', 'technician', 'proctor', 'candidate', 'system'])),
  dueAt: IsoDateTime,
  state: z.enum(['done', 'due', 'late', 'upcoming']),
  /** A person records this step with a button (others are seen by the system). */
  recordable: z.boolean(),
  done: z.object({ by: z.string(), at: IsoDateTime }).nullable(),
});
export type ProcedureStepView = z.infer<typeof ProcedureStepView>;
export const RoomProcedure = z.object({ roomCode: Code, sessionId: Code, serverTime: IsoDateTime, steps: z.array(ProcedureStepView) });
export type RoomProcedure = z.infer<typeof RoomProcedure>;
export const RecordProcedureStep = z.object({ stepNo: z.number().int().min(1).max(17), note: z.string().trim().max(200).optional() });
export type RecordProcedureStep = z.infer<typeof RecordProcedureStep>;
