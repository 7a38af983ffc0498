import { z } from 'zod';
import { Base64, CandidatePhoto, Code, Gender, IdNo, IsoDateTime, PartyPublicKeys, Sha256Hex, TicketNo, signed } from './common';
import { AnswerKey, Item, ItemId } from './items';

/** An exam session (场次): one subject, one start time, one duration. */
export const SessionSchedule = z.object({
  sessionId: Code,
  examCode: Code,
  examName: z.string().min(1).max(200),
  subjectCode: Code,
  subjectName: z.string().min(1).max(100),
  startsAt: IsoDateTime,
  durationMinutes: z.number().int().min(1).max(600),
  /** 开考后 N 分钟不得登录(缺考). */
  lateLoginCutoffMinutes: z.number().int().min(0).max(120),
  /** 开考后 N 分钟方可交卷. */
  minMinutesBeforeHandIn: z.number().int().min(0).max(600),
});
export type SessionSchedule = z.infer<typeof SessionSchedule>;

export const Seat = z.object({ seatNo: z.number().int().positive(), row: z.number().int().positive(), col: z.number().int().positive() });
export const Room = z.object({ roomCode: Code, name: z.string().min(1).max(100), seats: z.array(Seat).min(1).max(400) });
export type Room = z.infer<typeof Room>;

export const RosterCandidate = z.object({
  candidateId: z.string().min(1).max(64),
  ticketNo: TicketNo,
  idNo: IdNo,
  name: z.string().min(1).max(100),
  gender: Gender,
  roomCode: Code,
  seatNo: z.number().int().positive(),
  photo: CandidatePhoto.optional(),
});
export type RosterCandidate = z.infer<typeof RosterCandidate>;

/** 主考 and 技术负责人: venue-level staff who sign in to the console with the access code issued with the package. */
export const VenueStaffRole = z.enum(['chief', 'technician']);
export type VenueStaffRole = z.infer<typeof VenueStaffRole>;
export const VenueStaffCredential = z.object({
  staffNo: Code,
  role: VenueStaffRole,
  name: z.string().min(1).max(100),
  accessCode: z.string().min(8).max(64),
});
export type VenueStaffCredential = z.infer<typeof VenueStaffCredential>;

/** 考生名单 with the venue's rooms and the session; sealed to the venue. */
export const Roster = z.object({
  format: z.literal('kaowu.roster'),
  version: z.literal(1),
  venueCode: Code,
  venueName: z.string().min(1).max(200),
  rooms: z.array(Room).min(1),
  session: SessionSchedule,
  candidates: z.array(RosterCandidate),
  /** 监考口令: one access code per room, for that room's proctors. */
  proctorCodes: z.array(z.object({ roomCode: Code, accessCode: z.string().min(6).max(64) })),
  /** 主考 and 技术负责人 credentials (the venue keeps only a hash of each code). */
  staff: z.array(VenueStaffCredential).max(50).default([]),
});
export type Roster = z.infer<typeof Roster>;

/** The paper as the venue holds it once released: items without keys. */
export const PaperContent = z.object({
  format: z.literal('kaowu.paper'),
  version: z.literal(1),
  paperId: Code,
  subjectName: z.string(),
  items: z.array(Item).min(1).max(500),
});
export type PaperContent = z.infer<typeof PaperContent>;

/** Manifest of a venue package, signed by the province. */
export const VenuePackageManifest = z.object({
  format: z.literal('kaowu.venue-package'),
  version: z.literal(1),
  packageId: z.string().min(1),
  venueCode: Code,
  venueKeyId: z.string().min(1),
  sessionId: Code,
  paperId: Code,
  releaseAt: IsoDateTime,
  createdAt: IsoDateTime,
  roster: z.object({ sealedKey: Base64, sha256: Sha256Hex, bytes: z.number().int().nonnegative() }),
  /** Paper data key: sealed to the venue, then wrapped with the release secret (both are needed). */
  paper: z.object({ wrappedSealedKey: Base64, sha256: Sha256Hex, bytes: z.number().int().nonnegative() }),
  province: PartyPublicKeys,
});
export type VenuePackageManifest = z.infer<typeof VenuePackageManifest>;

export const VenuePackage = z.object({
  manifest: signed(VenuePackageManifest),
  roster: Base64,
  paper: Base64,
});
export type VenuePackage = z.infer<typeof VenuePackage>;

/** 试卷密钥发布: the release secret for a venue package, published by the province at release time. */
export const KeyRelease = z.object({
  format: z.literal('kaowu.key-release'),
  version: z.literal(1),
  packageId: z.string().min(1),
  paperId: Code,
  releaseSecret: Base64,
  releasedAt: IsoDateTime,
});
export type KeyRelease = z.infer<typeof KeyRelease>;
export const SignedKeyRelease = signed(KeyRelease);

/** Keys, held only by the province for scoring. */
export const PaperKeys = z.object({ paperId: Code, keys: z.array(AnswerKey), scores: z.record(ItemId, z.number().positive()) });
export type PaperKeys = z.infer<typeof PaperKeys>;
