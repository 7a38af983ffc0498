import { z } from 'zod';
import { CandidatePhoto, Code, Gender, IdNo, IsoDateTime, TicketNo } from './common';
import { AnswerValue, ItemId } from './items';
import { PaperContent } from './venue-package';
import { AttemptStatus } from './result-package';

/**
 * Socket events between an exam machine (candidate client) and the venue server, namespace `/exam`.
 * Request events are answered through the socket.io acknowledgement with `Ack<T>`; pushes are
 * server → client. Names are versioned by the protocol constant, not per event.
 */
export const EXAM_PROTOCOL = 'kaowu.exam/1';
export const EXAM_NAMESPACE = '/exam';

export const ExamEvent = {
  hello: 'machine:hello',
  timeSync: 'time:sync',
  login: 'candidate:login',
  fetchPaper: 'paper:fetch',
  saveAnswer: 'answer:save',
  submit: 'attempt:submit',
  /** 离开考试界面: the exam screen lost focus, was hidden or left fullscreen (shown to the proctor). */
  focusLost: 'machine:focus',
  // pushes
  sessionState: 'session:state',
  attemptEnded: 'attempt:ended',
  reminder: 'attempt:reminder',
  /** Pause, resume, extra time or 换机 credit changed this candidate's clock. */
  timeChanged: 'attempt:time',
  /** 广播: a proctor's message to every screen of the room (RoomMessagePush). */
  roomMessage: 'room:message',
} as const;

export const SessionPhase = z.enum(['scheduled', 'waiting_login', 'login_open', 'in_progress', 'ended', 'sealed', 'uploaded']);
export type SessionPhase = z.infer<typeof SessionPhase>;

export const MachineHello = z.object({
  protocol: z.literal(EXAM_PROTOCOL),
  machineId: z.string().min(1).max(64),
  roomCode: Code,
  seatNo: z.number().int().positive(),
  /**
   * 考试机认证 key derived by the kiosk from its configuration and the venue secret (deploy/kiosk).
   * Empty from a plain browser: the venue, not the page, refuses it (MACHINE_NOT_ATTESTED).
   */
  attestation: z.string().max(256),
});
export type MachineHello = z.infer<typeof MachineHello>;
export const MachineHelloAck = z.object({ serverTime: IsoDateTime, venueName: z.string(), roomCode: Code, seatNo: z.number().int() });
export type MachineHelloAck = z.infer<typeof MachineHelloAck>;

export const TimeSync = z.object({
  clientSentAt: z.number(),
  /** The round trip of the machine's previous time sync (ms): the technician's latency check. */
  lastRttMs: z.number().min(0).max(60_000).optional(),
});
export const TimeSyncAck = z.object({ clientSentAt: z.number(), serverTime: z.number() });
export type TimeSyncAck = z.infer<typeof TimeSyncAck>;

export const CandidateLogin = z.object({ ticketNo: TicketNo, idNo: IdNo });
export type CandidateLogin = z.infer<typeof CandidateLogin>;

export const SessionView = z.object({
  sessionId: Code,
  subjectName: z.string(),
  phase: SessionPhase,
  startsAt: IsoDateTime,
  /** This candidate's own end (start + duration + credited minutes). */
  endsAt: IsoDateTime,
  serverTime: IsoDateTime,
  minMinutesBeforeHandIn: z.number().int(),
  /** Set while this candidate's exam is paused (暂停); the clock stops, the time comes back on resume. */
  pausedAt: IsoDateTime.nullable().optional(),
});
export type SessionView = z.infer<typeof SessionView>;

export const SavedAnswer = z.object({ itemId: ItemId, value: AnswerValue, seq: z.number().int().positive() });
export type SavedAnswer = z.infer<typeof SavedAnswer>;

export const CandidateLoginAck = z.object({
  attemptId: z.string(),
  leaseEpoch: z.number().int().nonnegative(),
  lastAckedSeq: z.number().int().nonnegative(),
  status: AttemptStatus,
  candidate: z.object({ name: z.string(), gender: Gender, ticketNo: TicketNo, idNoMasked: z.string(), roomCode: Code, seatNo: z.number().int(), photo: CandidatePhoto.optional() }),
  session: SessionView,
  answers: z.array(SavedAnswer),
});
export type CandidateLoginAck = z.infer<typeof CandidateLoginAck>;

export const AttemptRef = z.object({ attemptId: z.string().min(1).max(64), leaseEpoch: z.number().int().nonnegative() });
export type AttemptRef = z.infer<typeof AttemptRef>;

export const FetchPaper = AttemptRef;
export const FetchPaperAck = z.object({ paper: PaperContent });
export type FetchPaperAck = z.infer<typeof FetchPaperAck>;

export const SaveAnswer = AttemptRef.extend({
  seq: z.number().int().positive(),
  itemId: ItemId,
  value: AnswerValue,
});
export type SaveAnswer = z.infer<typeof SaveAnswer>;
/** Names the highest contiguous durable seq of the attempt. */
export const SaveAnswerAck = z.object({ attemptId: z.string(), ackedSeq: z.number().int().nonnegative() });
export type SaveAnswerAck = z.infer<typeof SaveAnswerAck>;

export const SubmitAttempt = AttemptRef;
export const SubmitAttemptAck = z.object({ attemptId: z.string(), submittedAt: IsoDateTime, ackedSeq: z.number().int().nonnegative() });
export type SubmitAttemptAck = z.infer<typeof SubmitAttemptAck>;

/** What the kiosk saw: the window lost focus, the page was hidden, or fullscreen was left. */
export const FocusLossKind = z.enum(['blur', 'hidden', 'fullscreen_exit']);
export type FocusLossKind = z.infer<typeof FocusLossKind>;
export const FocusLost = AttemptRef.extend({ kind: FocusLossKind, at: IsoDateTime });
export type FocusLost = z.infer<typeof FocusLost>;
/** How many focus losses the venue has recorded for the attempt. */
export const FocusLostAck = z.object({ attemptId: z.string(), focusLosses: z.number().int().nonnegative() });
export type FocusLostAck = z.infer<typeof FocusLostAck>;

export const SessionStatePush = SessionView;
export const AttemptEndedPush = z.object({
  attemptId: z.string(),
  reason: z.enum(['time_up', 'submitted', 'forced']),
  endedAt: IsoDateTime,
});
export type AttemptEndedPush = z.infer<typeof AttemptEndedPush>;

/** 考试结束前 10 分钟提醒: pushed to each candidate at their own end minus 10 minutes. */
export const ReminderPush = z.object({ attemptId: z.string(), minutesLeft: z.number().int().positive(), endsAt: IsoDateTime });
export type ReminderPush = z.infer<typeof ReminderPush>;

/** 暂停 / 恢复 / 补时: the candidate's clock changed; `endsAt` is the new own end. */
export const AttemptTimePush = z.object({
  attemptId: z.string(),
  change: z.enum(['paused', 'resumed', 'extended', 'credited']),
  /** Minutes added to the candidate's end by this change (0 for a pause). */
  minutes: z.number().int().nonnegative(),
  creditedMinutes: z.number().int().nonnegative(),
  endsAt: IsoDateTime,
  pausedAt: IsoDateTime.nullable(),
  reason: z.string(),
});
export type AttemptTimePush = z.infer<typeof AttemptTimePush>;

/** Proctor console, namespace `/proctor`. */
export const PROCTOR_NAMESPACE = '/proctor';
export const ProctorEvent = {
  join: 'proctor:join',
  seats: 'room:seats',
  /** 换机: authorise a candidate to continue at a spare seat of the room. */
  moveSeat: 'proctor:move-seat',
  /** 暂停 / 恢复 one candidate or the whole room. */
  pause: 'proctor:pause',
  resume: 'proctor:resume',
  /** 补时: extra minutes for one candidate. */
  extend: 'proctor:extend',
  /** 考生信息 with the registration photo, for the identity check. */
  candidate: 'proctor:candidate',
  /** 身份核验 / 签到 of one candidate (a mismatch raises an incident). */
  identityCheck: 'proctor:identity-check',
  /** 违纪: record a violation with category, description and evidence. */
  violation: 'proctor:violation',
  /** 缺考: confirm a candidate absent after the late-login cutoff. */
  markAbsent: 'proctor:mark-absent',
  /** 强制交卷. */
  forceHandIn: 'proctor:force-hand-in',
  /** 广播: a message on every exam screen of the room. */
  broadcast: 'proctor:broadcast',
  /** 核查考生答题信息: the end-of-session verification view. */
  verification: 'proctor:verification',
  acknowledgeAnomaly: 'proctor:acknowledge-anomaly',
  /** 核查无误: the proctor confirms the room's results for sealing. */
  confirmRoom: 'proctor:confirm-room',
  /** 考试操作规程: the room's 17 steps, and recording a person's step as done. */
  procedure: 'proctor:procedure',
  recordStep: 'proctor:record-step',
  /** 解除登录锁定: lift the lock of a ticket after repeated failed logins (after checking the documents). */
  resetLoginLock: 'proctor:reset-login-lock',
} as const;

/** Why a proctor acted: recorded in the audit log with the actor and the time. */
export const ActionReason = z.string().trim().min(2, '请填写操作原因').max(500);

export const ResetLoginLock = z.object({ ticketNo: TicketNo, reason: ActionReason });
export type ResetLoginLock = z.infer<typeof ResetLoginLock>;

export const MoveSeat = z.object({ attemptId: z.string().min(1).max(64), toSeatNo: z.number().int().positive(), reason: ActionReason });
export type MoveSeat = z.infer<typeof MoveSeat>;
export const MoveSeatAck = z.object({
  attemptId: z.string(),
  fromSeatNo: z.number().int(),
  toSeatNo: z.number().int(),
  /** The server's last record of the old machine (heartbeat, save or disconnect). */
  lastSeenAt: IsoDateTime.nullable(),
  /** Minutes that will be credited if the candidate logs in at the new seat now (capped at 30). */
  creditIfLoggedInNow: z.number().int().nonnegative(),
});
export type MoveSeatAck = z.infer<typeof MoveSeatAck>;

/** Pause or resume: one candidate (attemptId) or, without it, every candidate answering in the room. */
export const PauseResume = z.object({ attemptId: z.string().min(1).max(64).optional(), reason: ActionReason });
export type PauseResume = z.infer<typeof PauseResume>;
export const PauseResumeAck = z.object({ attempts: z.array(AttemptTimePush) });
export type PauseResumeAck = z.infer<typeof PauseResumeAck>;

/** Manual 补时 by a proctor, per action. */
export const MAX_EXTENSION_MINUTES = 30;
export const ExtendTime = z.object({ attemptId: z.string().min(1).max(64), minutes: z.number().int().min(1).max(MAX_EXTENSION_MINUTES), reason: ActionReason });
export type ExtendTime = z.infer<typeof ExtendTime>;
/** 补时 above this many minutes (per action) needs the chief examiner's (主考) approval. */
export const EXTENSION_APPROVAL_THRESHOLD_MINUTES = 10;
export const ExtensionRequestStatus = z.enum(['pending', 'approved', 'rejected']);
export type ExtensionRequestStatus = z.infer<typeof ExtensionRequestStatus>;
/** A proctor's 补时 request awaiting (or decided by) the chief examiner. */
export const ExtensionRequest = z.object({
  requestId: z.string(),
  attemptId: z.string(),
  roomCode: Code,
  seatNo: z.number().int(),
  candidateName: z.string(),
  ticketNo: TicketNo,
  minutes: z.number().int().positive(),
  reason: z.string(),
  requestedBy: z.string(),
  requestedAt: IsoDateTime,
  status: ExtensionRequestStatus,
  decidedBy: z.string().nullable(),
  decidedAt: IsoDateTime.nullable(),
  decisionNote: z.string().nullable(),
});
export type ExtensionRequest = z.infer<typeof ExtensionRequest>;
/** 补时 answered: applied now, or waiting for the chief examiner. */
export const ExtendAck = z.discriminatedUnion('status', [
  z.object({ status: z.literal('applied'), time: AttemptTimePush }),
  z.object({ status: z.literal('pending'), request: ExtensionRequest }),
]);
export type ExtendAck = z.infer<typeof ExtendAck>;

/** Venue-wide pause / resume (technician or chief examiner, REST). */
export const VenuePauseResume = z.object({ reason: ActionReason });
export type VenuePauseResume = z.infer<typeof VenuePauseResume>;
export const ProctorJoin = z.object({ roomCode: Code, accessCode: z.string().min(6).max(64) });
export type ProctorJoin = z.infer<typeof ProctorJoin>;

export const SeatStatus = z.object({
  seatNo: z.number().int(),
  row: z.number().int(),
  col: z.number().int(),
  machineOnline: z.boolean(),
  candidate: z.object({ name: z.string(), ticketNo: TicketNo }).nullable(),
  status: AttemptStatus,
  answered: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  lastSaveAt: IsoDateTime.nullable(),
  /** 补时: minutes added to this candidate's end (换机 credit, extra time). */
  creditedMinutes: z.number().int().nonnegative().optional(),
  paused: z.boolean().optional(),
  /** The attempt for proctor actions (absent until the candidate first logs in). */
  attemptId: z.string().nullable().optional(),
  /** The roster seat when the candidate was moved to this spare seat (换机). */
  movedFromSeatNo: z.number().int().nullable().optional(),
  /** Times the exam screen lost focus, was hidden or left fullscreen (离开考试界面). */
  focusLosses: z.number().int().nonnegative().optional(),
  /** 身份核验: the latest check of the candidate (entry or re-check). */
  identity: z.enum(['unchecked', 'verified', 'mismatch']).optional(),
  /** Incidents recorded for the candidate (违纪, 人证不符, 强制交卷). */
  incidents: z.number().int().nonnegative().optional(),
});
export type SeatStatus = z.infer<typeof SeatStatus>;
export const RoomSeatsPush = z.object({
  roomCode: Code,
  roomName: z.string(),
  sessionId: Code,
  phase: SessionPhase,
  serverTime: IsoDateTime,
  seats: z.array(SeatStatus),
  /** 补时 requests of this room waiting for, or decided by, the chief examiner. */
  extensionRequests: z.array(ExtensionRequest).optional(),
  /** Tickets of this room locked after repeated failed logins, for the proctor to check and lift. */
  loginLocks: z.array(z.object({ ticketNo: TicketNo, candidateName: z.string().nullable(), seatNo: z.number().int().nullable(), lockedUntil: IsoDateTime })).optional(),
});
export type RoomSeatsPush = z.infer<typeof RoomSeatsPush>;
