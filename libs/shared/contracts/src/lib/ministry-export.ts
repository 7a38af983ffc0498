import { z } from 'zod';
import { Code, IsoDateTime, Sha256Hex, TicketNo, signed } from './common';
import { AnswerValue, ItemId } from './items';
import { IncidentDecisionKind, ReviewedIncidentKind } from './incident-review';
import { IntegritySummary, SubjectResultStatus } from './sitting-report';

/**
 * One candidate's line in the ministry report (部级上报): where they sat, whether they came, the
 * objective score to publish — null when `resultStatus` is `voided` (成绩无效) or nothing arrived.
 */
export const MinistryCandidateResult = z.object({
  ticketNo: TicketNo,
  venueCode: Code,
  roomCode: Code,
  /** The attempt status from the room package (`ended`, `submitted`, `absent` …) or `not_received`. */
  status: z.string().min(1),
  resultStatus: SubjectResultStatus,
  objectiveScore: z.number().nullable(),
  answered: z.number().int().nonnegative().nullable(),
});
export type MinistryCandidateResult = z.infer<typeof MinistryCandidateResult>;

/** A present candidate's final answers (highest seq per item), with the digest the venue signed. */
export const MinistryAttemptAnswers = z.object({
  ticketNo: TicketNo,
  attemptId: z.string().min(1),
  /** As in the venue-signed room manifest (`finalAnswersDigest`). */
  finalAnswersSha256: Sha256Hex,
  answers: z.array(z.object({ itemId: ItemId, seq: z.number().int().positive(), value: AnswerValue })),
});
export type MinistryAttemptAnswers = z.infer<typeof MinistryAttemptAnswers>;

/** An incident of the session with the province's current decision (null while open). */
export const MinistryIncidentDecision = z.object({
  incidentId: z.string().min(1),
  ticketNo: TicketNo.nullable(),
  kind: ReviewedIncidentKind,
  category: z.string().nullable(),
  facts: z.string().nullable(),
  decision: IncidentDecisionKind.nullable(),
  basis: z.string().nullable(),
  note: z.string().nullable(),
  revision: z.number().int().nonnegative(),
  decidedBy: z.string().nullable(),
  decidedAt: IsoDateTime.nullable(),
});
export type MinistryIncidentDecision = z.infer<typeof MinistryIncidentDecision>;

/**
 * 部级上报 manifest, signed by the province (Ed25519 over its canonical JSON): the session,
 * every room package it rests on (with the digests of the venue manifest and of the
 * province's receipt), the completeness of the sitting, the integrity summary, and the
 * digests of the results, the answers and the incident decisions.
 * Format documented in docs/ministry-export.md.
 */
export const MinistryExportManifest = z.object({
  format: z.literal('kaowu.ministry-export'),
  version: z.literal(2),
  provinceKeyId: z.string().min(1),
  sessionId: Code,
  /** The sitting (考试计划) the session belongs to; the exam code for a session outside a plan. */
  sittingCode: Code,
  examCode: Code,
  subjectCode: Code,
  subjectName: z.string(),
  startsAt: IsoDateTime,
  generatedAt: IsoDateTime,
  complete: z.boolean(),
  expectedRooms: z.number().int().nonnegative(),
  missingRooms: z.array(z.object({ venueCode: Code, roomCode: Code })),
  packages: z.array(z.object({ venueCode: Code, roomCode: Code, packageId: z.string().min(1), manifestSha256: Sha256Hex, receiptSha256: Sha256Hex })),
  candidates: z.number().int().nonnegative(),
  voided: z.number().int().nonnegative(),
  openIncidents: z.number().int().nonnegative(),
  /** SHA-256 of the canonical JSON of `results`, in ticket-number order. */
  resultsSha256: Sha256Hex,
  /** SHA-256 of the canonical JSON of `answers`, in ticket-number order. */
  answersSha256: Sha256Hex,
  /** SHA-256 of the canonical JSON of `decisions`, in incident order. */
  decisionsSha256: Sha256Hex,
  /** The sitting's 完整性报告 at export time (its body's digest; the signed report is served beside). */
  integrity: IntegritySummary,
});
export type MinistryExportManifest = z.infer<typeof MinistryExportManifest>;

export const MinistryExport = z.object({
  manifest: signed(MinistryExportManifest),
  results: z.array(MinistryCandidateResult),
  answers: z.array(MinistryAttemptAnswers),
  decisions: z.array(MinistryIncidentDecision),
});
export type MinistryExport = z.infer<typeof MinistryExport>;
