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
  /** Head of the attempt's hash chain over its events in seq order (the journal). */
  chainHead: Sha256Hex,
  /** SHA-256 of the final answer per item (highest seq), see `finalAnswersDigest`. */
  finalAnswersSha256: Sha256Hex,
});
export type AttemptSummary = z.infer<typeof AttemptSummary>;

/** 考场异常情况: an audited event of the room that a reviewer must see (换机, 补时, 暂停, 违纪 …). */
export const RoomIncident = z.object({
  /** Position of the event in the venue's audit chain, and its hash there. */
  auditId: z.number().int().positive(),
  auditHash: Sha256Hex,
  at: IsoDateTime,
  action: z.string().min(1),
  actor: z.string().min(1),
  /** The candidate concerned; null for a room- or venue-wide event. */
  ticketNo: TicketNo.nullable(),
  reason: z.string().nullable(),
  /** 违纪 only, when the venue includes them: the category and the evidence kept. */
  category: z.string().max(64).nullable().optional(),
  evidence: z.string().max(500).nullable().optional(),
});
export type RoomIncident = z.infer<typeof RoomIncident>;

/**
 * Manifest of a room's result package (考场考试数据), signed by the venue. Everything in it is
 * derived from the room's data, so sealing the same room twice gives the very same manifest;
 * the random parts of the sealing (data key, ciphertext) live in the package's envelope.
 */
export const ResultManifest = z.object({
  format: z.literal('kaowu.result-package'),
  version: z.literal(2),
  packageId: z.string().min(1),
  venueCode: Code,
  venueKeyId: z.string().min(1),
  roomCode: Code,
  sessionId: Code,
  paperId: Code,
  /** The room's end: the scheduled end plus the most time credited to any of its candidates. */
  closedAt: IsoDateTime,
  expectedCandidates: z.number().int().nonnegative(),
  presentCandidates: z.number().int().nonnegative(),
  attempts: z.array(AttemptSummary),
  incidents: z.array(RoomIncident),
  /** The venue audit chain as of the room's close: its last entry then. */
  auditHead: z.object({ auditId: z.number().int().nonnegative(), hash: Sha256Hex }),
  /** SHA-256 and length of the plaintext payload (canonical JSON) before sealing. */
  payload: z.object({ sha256: Sha256Hex, bytes: z.number().int().nonnegative() }),
  /**
   * 核查无误: who confirmed the room's results and how each anomaly was accounted for; null when
   * the room was sealed at the end of the grace without a confirmation.
   */
  verification: z
    .object({
      confirmedBy: z.string().min(1),
      confirmedAt: IsoDateTime,
      acknowledgements: z.array(z.object({ anomalyId: z.string().min(1), note: z.string(), actor: z.string().min(1), at: IsoDateTime })),
    })
    .nullable()
    .optional(),
});
export type ResultManifest = z.infer<typeof ResultManifest>;

/** How the payload was sealed to the province: the sealed data key and the ciphertext's digest. */
export const ResultEnvelope = z.object({ sealedKey: Base64, sha256: Sha256Hex, bytes: z.number().int().nonnegative() });
export type ResultEnvelope = z.infer<typeof ResultEnvelope>;

export const ResultPackage = z.object({ manifest: signed(ResultManifest), envelope: ResultEnvelope, payload: Base64 });
export type ResultPackage = z.infer<typeof ResultPackage>;

/** The file name of an exported room package (removable media) and of its checksum file. */
export const RESULT_FILE_EXTENSION = '.kwr';

/** 分片上传: opening (or re-opening) a resumable upload of one package's bytes. */
export const OpenResultUpload = z.object({
  packageId: z.string().min(1).max(200),
  venueCode: Code,
  roomCode: Code,
  sessionId: Code,
  totalBytes: z.number().int().positive().max(1024 * 1024 * 1024),
  sha256: Sha256Hex,
});
export type OpenResultUpload = z.infer<typeof OpenResultUpload>;

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

export const ResultUploadState = z.enum(['open', 'completed', 'refused']);
export type ResultUploadState = z.infer<typeof ResultUploadState>;

/** Where an upload stands at the province: the venue resumes from `confirmedBytes`. */
export const ResultUploadStatus = z.object({
  uploadId: z.string().min(1),
  packageId: z.string().min(1),
  totalBytes: z.number().int().positive(),
  confirmedBytes: z.number().int().nonnegative(),
  maxChunkBytes: z.number().int().positive(),
  state: ResultUploadState,
  receipt: SignedReceipt.nullable(),
});
export type ResultUploadStatus = z.infer<typeof ResultUploadStatus>;

/** 吊销考点密钥: packages signed with a revoked key are refused from then on. */
export const RevokeVenueKey = z.object({
  reason: z.string().trim().min(2, '请写明吊销原因').max(500),
});
export type RevokeVenueKey = z.infer<typeof RevokeVenueKey>;
