import { z } from 'zod';
import { Base64, CandidatePhoto, Code, Gender, IdNo, IsoDateTime, TicketNo } from './common';
import { ChoiceOption, ItemId, Material, Requirements } from './items';

/** REST bodies of the provincial server (`/api/v1`). */
export const CreateExam = z.object({
  examCode: Code,
  examName: z.string().min(1).max(200),
  subjectCode: Code,
  subjectName: z.string().min(1).max(100),
  durationMinutes: z.number().int().min(1).max(600),
  lateLoginCutoffMinutes: z.number().int().min(0).max(120).default(30),
  minMinutesBeforeHandIn: z.number().int().min(0).max(600).default(90),
});
export type CreateExam = z.infer<typeof CreateExam>;

export const CreateVenue = z.object({
  venueCode: Code,
  name: z.string().min(1).max(200),
  rooms: z.array(z.object({ roomCode: Code, name: z.string().min(1).max(100), rows: z.number().int().min(1).max(20), cols: z.number().int().min(1).max(20) })).min(1).max(200),
});
export type CreateVenue = z.infer<typeof CreateVenue>;

export const RegisterVenueKey = z.object({ keyId: z.string().min(1).max(128), signingPublicKey: Base64, boxPublicKey: Base64 });
export type RegisterVenueKey = z.infer<typeof RegisterVenueKey>;

/**
 * 更换考点密钥: a venue that already has a key gets a new one only by a request of one provincial
 * admin with a reason, approved by a second. `reissuePulledPackages` re-issues, on approval, the
 * packages of open sessions the venue has already pulled (without it such a change is refused).
 */
export const RequestVenueKeyChange = RegisterVenueKey.extend({
  reason: z.string().trim().min(2, '请写明更换密钥的原因').max(500),
  reissuePulledPackages: z.boolean().default(false),
});
export type RequestVenueKeyChange = z.infer<typeof RequestVenueKeyChange>;
export const DecideApproval = z.object({ reason: z.string().trim().max(500).optional() });
export type DecideApproval = z.infer<typeof DecideApproval>;
export const VenueKeyChange = z.object({
  requestId: z.string(),
  venueCode: z.string(),
  state: z.enum(['pending', 'approved', 'rejected']),
  reason: z.string(),
  currentKeyId: z.string().nullable(),
  currentFingerprint: z.string().nullable(),
  newKeyId: z.string(),
  newFingerprint: z.string(),
  reissuePulledPackages: z.boolean(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionReason: z.string().nullable(),
  reissuedPackages: z.array(z.string()),
});
export type VenueKeyChange = z.infer<typeof VenueKeyChange>;

/** 封包 (freeze) and 重新生成 (re-issue) of a venue package, as the province's console shows them. */
export const ReissueVenuePackage = z.object({ reason: z.string().trim().min(2, '请写明重新生成考试包的原因').max(500) });
export type ReissueVenuePackage = z.infer<typeof ReissueVenuePackage>;
export const VenuePackageState = z.object({
  packageId: z.string(),
  venueCode: z.string(),
  sessionId: z.string(),
  venueKeyId: z.string(),
  candidates: z.number().int().nonnegative(),
  frozenAt: z.string(),
  frozenBy: z.string(),
  pulledAt: z.string().nullable(),
  reissues: z.number().int().nonnegative(),
});
export type VenuePackageState = z.infer<typeof VenuePackageState>;

export const RegisterCandidates = z.object({
  candidates: z
    .array(z.object({ ticketNo: TicketNo, idNo: IdNo, name: z.string().min(1).max(100), gender: Gender, venueCode: Code, roomCode: Code, seatNo: z.number().int().positive(), photo: CandidatePhoto.optional() }))
    .min(1)
    .max(100000),
});
export type RegisterCandidates = z.infer<typeof RegisterCandidates>;

const keyedItem = {
  itemId: ItemId,
  stem: z.string().min(1).max(20000),
  score: z.number().positive().max(100),
  options: z.array(ChoiceOption).min(2).max(8),
  correct: z.array(z.string().regex(/^[A-Z]$/)).min(1),
};
/** 计算分析题 / 综合题: material and requirements; marked by graders, so the key is a reference answer (参考答案) for them. */
const caseItem = {
  itemId: ItemId,
  stem: z.string().min(1).max(20000),
  score: z.number().positive().max(100),
  material: Material,
  requirements: Requirements,
  reference: z.string().max(20000).optional(),
};
export const CreatePaper = z.object({
  paperId: Code,
  examCode: Code,
  items: z
    .array(
      z.discriminatedUnion('type', [
        z.object({ type: z.literal('single'), ...keyedItem }),
        z.object({ type: z.literal('multiple'), ...keyedItem }),
        z.object({ type: z.literal('judge'), ...keyedItem }),
        z.object({ type: z.literal('calculation'), ...caseItem }),
        z.object({ type: z.literal('comprehensive'), ...caseItem }),
      ]),
    )
    .min(1)
    .max(500),
});
export type CreatePaper = z.infer<typeof CreatePaper>;

/** Schedule a session: the exam, its paper, start time and when the paper key is released. */
export const ScheduleSession = z.object({ sessionId: Code, examCode: Code, paperId: Code, startsAt: IsoDateTime, releaseAt: IsoDateTime });
export type ScheduleSession = z.infer<typeof ScheduleSession>;

/** `voided` (成绩无效 by an incident decision): the raw objective score is kept but not to be reported. */
export const ScoreRow = z.object({ ticketNo: TicketNo, name: z.string(), sessionId: Code, objectiveScore: z.number(), answered: z.number().int(), voided: z.boolean() });
export type ScoreRow = z.infer<typeof ScoreRow>;

export const IntakeStatusRow = z.object({
  venueCode: Code,
  roomCode: Code,
  sessionId: Code,
  packageId: z.string(),
  receivedAt: IsoDateTime,
  attempts: z.number().int(),
  answers: z.number().int(),
});
export type IntakeStatusRow = z.infer<typeof IntakeStatusRow>;
