import { z } from 'zod';
import { Base64, Code, IsoDateTime, Sha256Hex, TicketNo, signed } from './common';
import { AnswerValue, ItemId } from './items';

export const AttemptStatus = z.enum(['not_logged_in', 'logged_in', 'in_progress', 'submitted', 'ended', 'absent']);
export type AttemptStatus = z.infer<typeof AttemptStatus>;

/** One acknowledged answer event, exactly as journaled at the venue. */
export const AnswerEventRecord = z.object({
  seq: z.number().int().positive(),
  itemId: ItemId,
  value: AnswerValue,
  receivedAt: IsoDateTime,
});
export type AnswerEventRecord = z.infer<typeof AnswerEventRecord>;

export const AttemptResult = z.object({
  attemptId: z.string().min(1),
  candidateId: z.string().min(1),
  ticketNo: TicketNo,
  status: AttemptStatus,
  loggedInAt: IsoDateTime.nullable(),
  endedAt: IsoDateTime.nullable(),
  events: z.array(AnswerEventRecord),
});
export type AttemptResult = z.infer<typeof AttemptResult>;

/** The sealed payload: every attempt with every acknowledged event. */
export const ResultPayload = z.object({
  format: z.literal('kaowu.result-payload'),
  version: z.literal(1),
  attempts: z.array(AttemptResult),
});
export type ResultPayload = z.infer<typeof ResultPayload>;

export const AttemptSummary = z.object({
  attemptId: z.string().min(1),
  ticketNo: TicketNo,
  status: AttemptStatus,
  answerCount: z.number().int().nonnegative(),
  lastSeq: z.number().int().nonnegative(),
  /** Head of the attempt's hash chain over its events in seq order. */
  chainHead: Sha256Hex,
});
export type AttemptSummary = z.infer<typeof AttemptSummary>;

/** Manifest of a room's result package (考场考试数据), signed by the venue. */
export const ResultManifest = z.object({
  format: z.literal('kaowu.result-package'),
  version: z.literal(1),
  packageId: z.string().min(1),
  venueCode: Code,
  venueKeyId: z.string().min(1),
  roomCode: Code,
  sessionId: Code,
  paperId: Code,
  sealedAt: IsoDateTime,
  expectedCandidates: z.number().int().nonnegative(),
  presentCandidates: z.number().int().nonnegative(),
  attempts: z.array(AttemptSummary),
  payload: z.object({ sealedKey: Base64, sha256: Sha256Hex, bytes: z.number().int().nonnegative() }),
});
export type ResultManifest = z.infer<typeof ResultManifest>;

export const ResultPackage = z.object({ manifest: signed(ResultManifest), payload: Base64 });
export type ResultPackage = z.infer<typeof ResultPackage>;

/** 回执: the province's signed receipt for a result package. */
export const Receipt = z.object({
  format: z.literal('kaowu.receipt'),
  version: z.literal(1),
  packageId: z.string().min(1),
  manifestSha256: Sha256Hex,
  venueCode: Code,
  roomCode: Code,
  sessionId: Code,
  attemptsImported: z.number().int().nonnegative(),
  answersImported: z.number().int().nonnegative(),
  receivedAt: IsoDateTime,
});
export type Receipt = z.infer<typeof Receipt>;
export const SignedReceipt = signed(Receipt);
export type SignedReceipt = z.infer<typeof SignedReceipt>;
