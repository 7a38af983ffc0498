import { z } from 'zod';
import { Code } from './common';

/** 考试计划: a sitting, its subjects in order with durations, and its batches (批次). */
const HhMm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式应为 HH:MM / time must be HH:MM');
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD');

export const CreateSitting = z.object({
  sittingCode: Code,
  name: z.string().min(1).max(200),
  /** Subjects in the order they are sat (中级会计实务 → 财务管理 → 经济法). */
  subjects: z.array(z.object({ subjectCode: Code, subjectName: z.string().min(1).max(100), durationMinutes: z.number().int().min(1).max(600) })).min(1).max(10),
  /** Each batch: its date and one start time (Beijing time) per subject, in subject order. */
  batches: z.array(z.object({ batchCode: Code, name: z.string().min(1).max(100).optional(), date: IsoDate, startTimes: z.array(HhMm).min(1).max(10) })).min(1).max(10),
  minMinutesBeforeHandIn: z.number().int().min(0).max(600).default(90),
  lateLoginCutoffMinutes: z.number().int().min(0).max(120).default(30),
});
export type CreateSitting = z.infer<typeof CreateSitting>;

/** 地区: the municipal regions (市、州) candidates register in and venues belong to. */
export const UpsertRegions = z.object({ regions: z.array(z.object({ regionCode: Code, name: z.string().min(1).max(100) })).min(1).max(1000) });
export type UpsertRegions = z.infer<typeof UpsertRegions>;

/** A venue's planning data: region, address, spare room, technical contacts, proctors per room. */
export const VenuePlanning = z.object({
  regionCode: Code,
  address: z.string().min(1).max(300),
  /** 备用考场: never allocated. */
  spareRoomCode: Code.optional(),
  technicalContacts: z.array(z.object({ name: z.string().min(1).max(50), phone: z.string().regex(/^[0-9+\- ]{5,20}$/), role: z.enum(['chief', 'technician', 'lab-admin']) })).max(20).default([]),
  /** Proctors assigned per room (监考员). */
  proctors: z.record(Code, z.number().int().min(0).max(20)).default({}),
});
export type VenuePlanning = z.infer<typeof VenuePlanning>;

export const ImportFormat = z.enum(['xlsx', 'csv']);
export type ImportFormat = z.infer<typeof ImportFormat>;

/** Query of a registration or photo import: nothing is stored while a row is bad, unless the clerk says so. */
export const ImportOptions = z.object({
  format: ImportFormat.optional(),
  importCleanRowsOnly: z
    .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
    .transform((v) => v === true || v === 'true' || v === '1')
    .default(false),
});
export type ImportOptions = z.infer<typeof ImportOptions>;

/** Stable codes of row-level import problems. */
export const RegistrationProblem = z.enum([
  'MISSING_FIELD',
  'NAME_TOO_LONG',
  'BAD_GENDER',
  'BAD_ID_TYPE',
  'ID_FORMAT',
  'ID_REGION',
  'ID_BIRTH_DATE',
  'ID_CHECK_DIGIT',
  'ID_GENDER_MISMATCH',
  'DUPLICATE_ID',
  'UNKNOWN_REGION',
  'UNKNOWN_SUBJECT',
  'DUPLICATE_SUBJECT',
  'BAD_PHONE',
]);
export type RegistrationProblem = z.infer<typeof RegistrationProblem>;

export const RegistrationColumn = z.enum(['name', 'gender', 'idType', 'idNo', 'region', 'subjects', 'phone']);
export type RegistrationColumn = z.infer<typeof RegistrationColumn>;

export const RowError = z.object({
  /** Row number as the clerk sees it in the spreadsheet (the header is row 1). */
  row: z.number().int().min(1),
  column: RegistrationColumn,
  code: RegistrationProblem,
  message: z.string(),
  messageEn: z.string(),
});
export type RowError = z.infer<typeof RowError>;

export const RegistrationImportResult = z.object({
  sittingCode: Code,
  rows: z.number().int(),
  imported: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  /** Rows left out because they had errors (only with importCleanRowsOnly). */
  skipped: z.number().int(),
  errors: z.array(RowError),
});
export type RegistrationImportResult = z.infer<typeof RegistrationImportResult>;

/** PHOTO_OVER_ROSTER_LIMIT is a warning: the photo is imported but a venue roster takes at most 64 KB. */
export const PhotoProblem = z.enum(['PHOTO_NOT_IMAGE', 'PHOTO_FORMAT', 'PHOTO_TOO_LARGE', 'PHOTO_DIMENSIONS', 'PHOTO_NO_REGISTRANT', 'PHOTO_DUPLICATE', 'PHOTO_OVER_ROSTER_LIMIT']);
export type PhotoProblem = z.infer<typeof PhotoProblem>;

export const PhotoError = z.object({ file: z.string(), code: PhotoProblem, message: z.string(), messageEn: z.string() });
export type PhotoError = z.infer<typeof PhotoError>;

export const PhotoImportResult = z.object({
  sittingCode: Code,
  files: z.number().int(),
  imported: z.number().int(),
  skipped: z.number().int(),
  errors: z.array(PhotoError),
  /** Imported photos a venue roster will not take as they are (over 64 KB): replace them before building packages. */
  warnings: z.array(PhotoError).default([]),
});
export type PhotoImportResult = z.infer<typeof PhotoImportResult>;

export const UnplacedRow = z.object({ idNo: z.string(), name: z.string(), region: z.string(), subjectCode: z.string().optional(), reason: z.string() });

export const RoomFillRow = z.object({
  batchCode: Code,
  venueCode: Code,
  roomCode: Code,
  region: z.string(),
  seats: z.number().int(),
  spares: z.number().int(),
  capacity: z.number().int(),
  placed: z.record(z.string(), z.number().int()),
  fillRate: z.number(),
  /** Proctors the work plan asks for the busiest subject of the batch, and those assigned. */
  proctorsRequired: z.object({ min: z.number().int(), max: z.number().int() }),
  proctorsAssigned: z.number().int().nullable(),
  staffing: z.enum(['ok', 'PROCTORS_TOO_FEW', 'PROCTORS_TOO_MANY', 'UNASSIGNED']),
});
export type RoomFillRow = z.infer<typeof RoomFillRow>;

export const AllocationSummary = z.object({
  sittingCode: Code,
  /** Set when the report is one region's view (a 市、州 考办): kept, moved and split stay the whole run's. */
  regionCode: z.string().optional(),
  runAt: z.string(),
  candidates: z.number().int(),
  placements: z.number().int(),
  kept: z.number().int(),
  moved: z.number().int(),
  splitAcrossVenues: z.number().int(),
  unplaced: z.array(UnplacedRow),
  rooms: z.array(RoomFillRow),
});
export type AllocationSummary = z.infer<typeof AllocationSummary>;

/** The body of an admission ticket's QR code (准考证二维码), signed by the province. */
export const AdmissionTicketQrBody = z.object({
  format: z.literal('kaowu.ticket'),
  version: z.literal(1),
  sittingCode: Code,
  ticketNo: z.string().regex(/^\d{8,20}$/),
  idNo: z.string().regex(/^[0-9A-Z]{6,20}$/),
  name: z.string().min(1).max(50),
  /** 'subject/batch/venue/room/seat' per subject, in sitting order. */
  seats: z.array(z.string().regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+){3}\/\d+$/)).min(1).max(10),
  issuedAt: z.iso.datetime({ offset: true }),
});
export type AdmissionTicketQrBody = z.infer<typeof AdmissionTicketQrBody>;

export const TicketPrinting = z.object({ opensAt: z.iso.datetime({ offset: true }) });
export type TicketPrinting = z.infer<typeof TicketPrinting>;

export const VerifyTicketQr = z.object({ qr: z.string().min(1).max(4000) });
export type VerifyTicketQr = z.infer<typeof VerifyTicketQr>;

/**
 * 场次 of the exam plan: one subject of one batch, with its paper. Its start time is the batch's;
 * the venue packages of the session carry the roster from the seat allocation.
 */
export const ScheduleSittingSession = z.object({
  sessionId: Code,
  batchCode: Code,
  subjectCode: Code,
  paperId: Code,
  /** 试卷密钥发布: when the venues may unlock the paper (not after the start). */
  releaseAt: z.iso.datetime({ offset: true }),
});
export type ScheduleSittingSession = z.infer<typeof ScheduleSittingSession>;
