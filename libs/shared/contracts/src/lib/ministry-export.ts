import { z } from 'zod';
import { Code, IsoDateTime, Sha256Hex, TicketNo, signed } from './common';

/** One candidate's line in the ministry report (部级上报): where they sat, whether they came, the objective score. */
export const MinistryCandidateResult = z.object({
  ticketNo: TicketNo,
  venueCode: Code,
  roomCode: Code,
  status: z.string().min(1),
  objectiveScore: z.number().nullable(),
  answered: z.number().int().nonnegative().nullable(),
});
export type MinistryCandidateResult = z.infer<typeof MinistryCandidateResult>;

/**
 * 部级上报 manifest, signed by the province (Ed25519 over its canonical JSON): the session,
 * every room package it rests on (with the digests of the venue manifest and of the
 * province's receipt), the completeness of the sitting, and the digest of the results.
 * Format documented in docs/ministry-export.md.
 */
export const MinistryExportManifest = z.object({
  format: z.literal('kaowu.ministry-export'),
  version: z.literal(1),
  provinceKeyId: z.string().min(1),
  sessionId: Code,
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
  /** SHA-256 of the canonical JSON of `results`, in ticket-number order. */
  resultsSha256: Sha256Hex,
});
export type MinistryExportManifest = z.infer<typeof MinistryExportManifest>;

export const MinistryExport = z.object({ manifest: signed(MinistryExportManifest), results: z.array(MinistryCandidateResult) });
export type MinistryExport = z.infer<typeof MinistryExport>;
