import { z } from 'zod';
import { Code, IsoDateTime, TicketNo } from './common';
import { ViolationCategory } from './proctoring';

/**
 * 违规违纪处理: the incidents the province reviews after the sitting. They come from the room
 * result packages (the venue's audited 违纪, 人证不符 and 强制交卷); absences are not incidents.
 */
export const ReviewedIncidentKind = z.enum(['violation', 'identity_mismatch', 'forced_hand_in']);
export type ReviewedIncidentKind = z.infer<typeof ReviewedIncidentKind>;

/** The venue audit actions that carry a reviewable incident, by kind. */
export const REVIEWED_INCIDENT_ACTIONS: ReadonlyMap<string, ReviewedIncidentKind> = new Map([
  ['incident.violation', 'violation'],
  ['incident.identity_mismatch', 'identity_mismatch'],
  ['incident.forced_hand_in', 'forced_hand_in'],
]);

/** The fixed list of decisions (《专业技术人员资格考试违纪违规行为处理规定》). */
export const IncidentDecisionKind = z.enum(['no_action', 'void_subject', 'void_sitting', 'other']);
export type IncidentDecisionKind = z.infer<typeof IncidentDecisionKind>;

export const INCIDENT_DECISION_LABELS: Record<IncidentDecisionKind, { zh: string; en: string }> = {
  no_action: { zh: '不予处理', en: 'No action' },
  void_subject: { zh: '该科目考试成绩无效', en: 'Score of this subject void' },
  void_sitting: { zh: '当次全部科目考试成绩无效', en: 'Scores of all subjects of this sitting void' },
  other: { zh: '其他处理', en: 'Other measure' },
};

export const IncidentReviewStatus = z.enum(['open', 'decided']);
export type IncidentReviewStatus = z.infer<typeof IncidentReviewStatus>;

/** A reviewer's decision on one incident. A first decision needs no reason; changing one does. */
export const DecideIncident = z
  .object({
    decision: IncidentDecisionKind,
    basis: z.string().trim().min(2, '请填写处理依据（如《专业技术人员资格考试违纪违规行为处理规定》第五条）').max(500, '处理依据不超过 500 字'),
    note: z.string().trim().max(1000, '备注不超过 1000 字').optional(),
    /** Required when the incident already has a decision: why it is changed (kept in the history). */
    revisionReason: z.string().trim().min(2, '请写明修改处理决定的原因').max(500, '修改原因不超过 500 字').optional(),
    /** The revision the reviewer saw (0: none yet); a decision made meanwhile by someone else is then refused, not overwritten. */
    expectedRevision: z.number().int().nonnegative().optional(),
  })
  .superRefine((d, ctx) => {
    if (d.decision === 'other' && !d.note) ctx.addIssue({ code: 'custom', path: ['note'], message: '选择“其他处理”时请在备注中写明具体处理' });
  });
export type DecideIncident = z.infer<typeof DecideIncident>;

/** One decision in an incident's history, newest last; `revision` counts from 1. */
export const IncidentDecision = z.object({
  revision: z.number().int().positive(),
  decision: IncidentDecisionKind,
  basis: z.string(),
  note: z.string().nullable(),
  revisionReason: z.string().nullable(),
  decidedBy: z.string(),
  decidedAt: IsoDateTime,
});
export type IncidentDecision = z.infer<typeof IncidentDecision>;

export const ReviewedIncident = z.object({
  /** `<packageId>#<auditId>`: the room package it arrived in and its place in the venue's audit chain. */
  incidentId: z.string().min(1),
  sessionId: Code,
  subjectCode: z.string(),
  subjectName: z.string(),
  batchCode: z.string().nullable(),
  venueCode: Code,
  venueName: z.string(),
  roomCode: Code,
  packageId: z.string(),
  ticketNo: TicketNo.nullable(),
  candidateName: z.string().nullable(),
  kind: ReviewedIncidentKind,
  category: ViolationCategory.nullable(),
  /** What the proctor recorded (违纪事实). */
  facts: z.string().nullable(),
  evidence: z.string().nullable(),
  recordedBy: z.string(),
  recordedAt: IsoDateTime,
  status: IncidentReviewStatus,
  decision: IncidentDecision.nullable(),
});
export type ReviewedIncident = z.infer<typeof ReviewedIncident>;

export const IncidentDetail = ReviewedIncident.extend({ history: z.array(IncidentDecision) });
export type IncidentDetail = z.infer<typeof IncidentDetail>;

export const IncidentQuery = z.object({
  venueCode: Code.optional(),
  subjectCode: Code.optional(),
  status: IncidentReviewStatus.optional(),
  page: z.coerce.number().int().min(1, '页码从 1 开始').default(1),
  pageSize: z.coerce.number().int().min(1).max(200, '每页最多 200 条').default(20),
});
export type IncidentQuery = z.infer<typeof IncidentQuery>;

export const IncidentPage = z.object({
  total: z.number().int().nonnegative(),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** Over the whole filtered list, not just the page. */
  counts: z.object({ open: z.number().int().nonnegative(), decided: z.number().int().nonnegative() }),
  incidents: z.array(ReviewedIncident),
});
export type IncidentPage = z.infer<typeof IncidentPage>;
