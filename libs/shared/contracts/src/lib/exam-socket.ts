import { z } from 'zod';
import { Code, Gender, IdNo, IsoDateTime, TicketNo } from './common';
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
  // pushes
  sessionState: 'session:state',
  attemptEnded: 'attempt:ended',
  reminder: 'attempt:reminder',
} as const;

export const SessionPhase = z.enum(['scheduled', 'waiting_login', 'login_open', 'in_progress', 'ended', 'sealed', 'uploaded']);
export type SessionPhase = z.infer<typeof SessionPhase>;

export const MachineHello = z.object({
  protocol: z.literal(EXAM_PROTOCOL),
  machineId: z.string().min(1).max(64),
  roomCode: Code,
  seatNo: z.number().int().positive(),
  /** Attestation key from the kiosk configuration (deepened in the kiosk issue). */
  attestation: z.string().min(1).max(256),
});
export type MachineHello = z.infer<typeof MachineHello>;
export const MachineHelloAck = z.object({ serverTime: IsoDateTime, venueName: z.string(), roomCode: Code, seatNo: z.number().int() });
export type MachineHelloAck = z.infer<typeof MachineHelloAck>;

export const TimeSync = z.object({ clientSentAt: z.number() });
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
});
export type SessionView = z.infer<typeof SessionView>;

export const SavedAnswer = z.object({ itemId: ItemId, value: AnswerValue, seq: z.number().int().positive() });
export type SavedAnswer = z.infer<typeof SavedAnswer>;

export const CandidateLoginAck = z.object({
  attemptId: z.string(),
  leaseEpoch: z.number().int().nonnegative(),
  lastAckedSeq: z.number().int().nonnegative(),
  status: AttemptStatus,
  candidate: z.object({ name: z.string(), gender: Gender, ticketNo: TicketNo, idNoMasked: z.string(), roomCode: Code, seatNo: z.number().int() }),
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

/** Proctor console, namespace `/proctor`. */
export const PROCTOR_NAMESPACE = '/proctor';
export const ProctorEvent = { join: 'proctor:join', seats: 'room:seats' } as const;
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
});
export type SeatStatus = z.infer<typeof SeatStatus>;
export const RoomSeatsPush = z.object({
  roomCode: Code,
  roomName: z.string(),
  sessionId: Code,
  phase: SessionPhase,
  serverTime: IsoDateTime,
  seats: z.array(SeatStatus),
});
export type RoomSeatsPush = z.infer<typeof RoomSeatsPush>;
