import { z } from 'zod';
import { Code, IsoDateTime, Sha256Hex, TicketNo, signed } from './common';

/**
 * A candidate's result in one subject as the province reports it: `voided` (成绩无效) by an
 * incident decision — the stored raw score stays —, `not_received` while the room's package
 * has not arrived.
 */
export const SubjectResultStatus = z.enum(['scored', 'voided', 'absent', 'not_received']);
export type SubjectResultStatus = z.infer<typeof SubjectResultStatus>;

export const ScoreBucket = z.object({ from: z.number(), to: z.number(), count: z.number().int().nonnegative() });
export type ScoreBucket = z.infer<typeof ScoreBucket>;

/** Counts over a set of (candidate, subject) places: expected on the roster, how they came out. */
export const ResultCounts = z.object({
  expected: z.number().int().nonnegative(),
  present: z.number().int().nonnegative(),
  absent: z.number().int().nonnegative(),
  /** 交卷: handed in or ended at time (every present attempt that finished). */
  submitted: z.number().int().nonnegative(),
  scored: z.number().int().nonnegative(),
  voided: z.number().int().nonnegative(),
  notReceived: z.number().int().nonnegative(),
});
export type ResultCounts = z.infer<typeof ResultCounts>;

export const SubjectSummary = ResultCounts.extend({
  subjectCode: z.string(),
  subjectName: z.string(),
  sessions: z.array(z.object({ sessionId: Code, batchCode: z.string().nullable(), startsAt: IsoDateTime })),
  /** Full marks of the objective part (the paper's choice items). */
  fullMarks: z.number().nonnegative(),
  meanScore: z.number().nullable(),
  /** Objective scores of the scored (not voided) candidates, ten buckets over 0 … full marks. */
  distribution: z.array(ScoreBucket),
});
export type SubjectSummary = z.infer<typeof SubjectSummary>;

export const VenueSummary = ResultCounts.extend({ venueCode: Code, venueName: z.string(), regionCode: z.string().nullable() });
export type VenueSummary = z.infer<typeof VenueSummary>;

/** 汇总: every session of the sitting (batches × subjects), by subject and by venue. */
export const SittingSummary = z.object({
  sittingCode: Code,
  generatedAt: IsoDateTime,
  /** Set for a municipal admin: the figures cover that region's venues only. */
  regionCode: z.string().nullable(),
  totals: ResultCounts,
  subjects: z.array(SubjectSummary),
  venues: z.array(VenueSummary),
});
export type SittingSummary = z.infer<typeof SittingSummary>;

export const CandidateSubjectResult = z.object({
  subjectCode: z.string(),
  sessionId: Code,
  venueCode: Code,
  roomCode: Code,
  status: SubjectResultStatus,
  /** The objective score to report: null unless `scored`. */
  score: z.number().nullable(),
});
export type CandidateSubjectResult = z.infer<typeof CandidateSubjectResult>;

export const CandidateResultRow = z.object({ ticketNo: TicketNo, name: z.string(), subjects: z.array(CandidateSubjectResult) });
export type CandidateResultRow = z.infer<typeof CandidateResultRow>;

export const CandidateResultQuery = z.object({
  venueCode: Code.optional(),
  ticketNo: z.string().trim().max(20).optional(),
  page: z.coerce.number().int().min(1, '页码从 1 开始').default(1),
  pageSize: z.coerce.number().int().min(1).max(200, '每页最多 200 条').default(20),
});
export type CandidateResultQuery = z.infer<typeof CandidateResultQuery>;

export const CandidateResultPage = z.object({ total: z.number().int().nonnegative(), page: z.number().int(), pageSize: z.number().int(), candidates: z.array(CandidateResultRow) });
export type CandidateResultPage = z.infer<typeof CandidateResultPage>;

/** 完整性报告: one planned venue × room × session and what arrived for it. */
export const IntegrityRoomState = z.enum(['verified', 'late', 'missing', 'failed']);
export type IntegrityRoomState = z.infer<typeof IntegrityRoomState>;

export const IntegrityRoom = z.object({
  sessionId: Code,
  venueCode: Code,
  roomCode: Code,
  state: IntegrityRoomState,
  packageId: z.string().nullable(),
  expectedCandidates: z.number().int().nonnegative(),
  /** Manifest counts vs the rows imported (attempts, answer events); null when nothing arrived. */
  manifestAttempts: z.number().int().nonnegative().nullable(),
  importedAttempts: z.number().int().nonnegative().nullable(),
  manifestAnswers: z.number().int().nonnegative().nullable(),
  importedAnswers: z.number().int().nonnegative().nullable(),
  /** Every attempt's hash-chain head and final-answers digest recomputed from the stored events. */
  chainsVerified: z.boolean().nullable(),
  problems: z.array(z.string()),
});
export type IntegrityRoom = z.infer<typeof IntegrityRoom>;

export const IntegrityCheckCode = z.enum(['packages', 'counts', 'chains', 'roster', 'incidents']);
export type IntegrityCheckCode = z.infer<typeof IntegrityCheckCode>;

export const IntegrityCheck = z.object({ code: IntegrityCheckCode, passed: z.boolean(), message: z.string(), messageEn: z.string() });
export type IntegrityCheck = z.infer<typeof IntegrityCheck>;

export const IntegrityReport = z.object({
  format: z.literal('kaowu.integrity-report'),
  version: z.literal(1),
  sittingCode: Code,
  provinceKeyId: z.string().min(1),
  generatedAt: IsoDateTime,
  passed: z.boolean(),
  checks: z.array(IntegrityCheck),
  rooms: z.array(IntegrityRoom),
  roster: z.object({
    expected: z.number().int().nonnegative(),
    present: z.number().int().nonnegative(),
    absent: z.number().int().nonnegative(),
    /** On the roster but in no verified package (first 100 ticket numbers). */
    unaccounted: z.number().int().nonnegative(),
    unaccountedTickets: z.array(z.string()),
  }),
  incidents: z.object({ total: z.number().int().nonnegative(), decided: z.number().int().nonnegative(), open: z.number().int().nonnegative() }),
});
export type IntegrityReport = z.infer<typeof IntegrityReport>;

/** The report signed by the province key (Ed25519 over its canonical JSON, `signDocument`). */
export const SignedIntegrityReport = signed(IntegrityReport);
export type SignedIntegrityReport = z.infer<typeof SignedIntegrityReport>;

/** Digest of an integrity report body, as the ministry export names it. */
export const IntegritySummary = z.object({ passed: z.boolean(), checks: z.record(IntegrityCheckCode, z.boolean()), reportSha256: Sha256Hex, generatedAt: IsoDateTime });
export type IntegritySummary = z.infer<typeof IntegritySummary>;
