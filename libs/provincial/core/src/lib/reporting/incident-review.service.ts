import { Inject, Injectable } from '@nestjs/common';
import { DecideIncident, IncidentDecision, IncidentDetail, IncidentPage, IncidentQuery, ReviewedIncident } from '@kaowu/contracts';
import { effectOf } from '@kaowu/planning-domain';
import { DomainError, parseInput } from '@kaowu/server-kit';
import { PROVINCIAL_CONTEXT, ProvincialContext } from '../provincial-context';
import { ProvincialAuditLog } from '../store/audit-log';
import { RegionScope } from '../auth/region-scope.service';
import type { StaffPrincipal } from '../auth/staff-principal';

interface IncidentRowDb {
  incident_id: string;
  session_id: string;
  subject_code: string;
  subject_name: string;
  batch_code: string | null;
  venue_code: string;
  venue_name: string;
  region_code: string | null;
  room_code: string;
  package_id: string;
  ticket_no: string | null;
  candidate_id: string | null;
  candidate_name: string | null;
  kind: ReviewedIncident['kind'];
  category: ReviewedIncident['category'];
  facts: string | null;
  evidence: string | null;
  recorded_by: string;
  recorded_at: Date;
  revision: number | null;
  decision: IncidentDecision['decision'] | null;
  basis: string | null;
  note: string | null;
  revision_reason: string | null;
  decided_by: string | null;
  decided_at: Date | null;
}

// Every incident with its session, venue, candidate and current (latest) decision; $1 is the sitting.
const INCIDENTS_SQL = `
  WITH cur AS (SELECT DISTINCT ON (incident_id) * FROM incident_decision ORDER BY incident_id, revision DESC)
  SELECT i.incident_id, i.session_id, coalesce(s.subject_code, e.subject_code) AS subject_code, coalesce(ss.subject_name, e.subject_name) AS subject_name,
    s.batch_code, i.venue_code, v.name AS venue_name, v.region_code, i.room_code, i.package_id, i.ticket_no, i.candidate_id,
    coalesce(r.name, c.name) AS candidate_name, i.kind, i.category, i.facts, i.evidence, i.recorded_by, i.recorded_at,
    cur.revision, cur.decision, cur.basis, cur.note, cur.revision_reason, cur.decided_by, cur.decided_at
  FROM result_incident i JOIN exam_session s ON s.session_id = i.session_id JOIN exam e ON e.exam_code = s.exam_code
  LEFT JOIN sitting_subject ss ON ss.sitting_code = s.sitting_code AND ss.subject_code = s.subject_code
  JOIN venue v ON v.venue_code = i.venue_code
  LEFT JOIN registrant r ON s.sitting_code IS NOT NULL AND r.registrant_id::text = i.candidate_id
  LEFT JOIN candidate c ON s.sitting_code IS NULL AND c.candidate_id = i.candidate_id
  LEFT JOIN cur ON cur.incident_id = i.incident_id
  WHERE (s.sitting_code = $1 OR (s.sitting_code IS NULL AND s.exam_code = $1))`;

const iso = (d: Date) => new Date(d).toISOString();
/** '2026-09-08 10:00（北京时间）' for a message a clerk reads. */
const beijingTime = (at: string) => `${new Date(new Date(at).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')}（北京时间）`;
const concurrentDecision = () =>
  new DomainError('CONFLICT', '另一位工作人员刚刚对该记录作出了处理决定，请刷新后查看再决定', 'another reviewer decided this incident just now; reload and decide again', 'incidentId');

const toIncident = (r: IncidentRowDb): ReviewedIncident => ({
  incidentId: r.incident_id,
  sessionId: r.session_id,
  subjectCode: r.subject_code,
  subjectName: r.subject_name,
  batchCode: r.batch_code,
  venueCode: r.venue_code,
  venueName: r.venue_name,
  roomCode: r.room_code,
  packageId: r.package_id,
  ticketNo: r.ticket_no,
  candidateName: r.candidate_name,
  kind: r.kind,
  category: r.category,
  facts: r.facts,
  evidence: r.evidence,
  recordedBy: r.recorded_by,
  recordedAt: iso(r.recorded_at),
  status: r.decision ? 'decided' : 'open',
  decision: r.decision
    ? { revision: Number(r.revision), decision: r.decision, basis: r.basis ?? '', note: r.note, revisionReason: r.revision_reason, decidedBy: r.decided_by ?? '', decidedAt: iso(r.decided_at as Date) }
    : null,
});

/**
 * 违规违纪处理: the province reviews every 违纪 / 人证不符 / 强制交卷 that arrived in a verified room
 * package and decides from a fixed list. A decision is revised only with a reason; every
 * revision is kept and audited. A 市、州考办 reviews its own region's venues only.
 */
@Injectable()
export class IncidentReviewService {
  constructor(
    @Inject(PROVINCIAL_CONTEXT) private readonly ctx: ProvincialContext,
    @Inject(ProvincialAuditLog) private readonly audit: ProvincialAuditLog,
    @Inject(RegionScope) private readonly regions: RegionScope,
  ) {}

  async list(sittingCode: string, query: unknown, staff: StaffPrincipal): Promise<IncidentPage> {
    const q = parseInput(IncidentQuery, query, '违纪处理查询');
    if (q.venueCode) await this.regions.venue(staff, q.venueCode);
    const region = this.regions.listRegion(staff, undefined) ?? null;
    const ds = this.ctx.db.dataSource;
    const filter = `AND ($2::text IS NULL OR v.region_code = $2) AND ($3::text IS NULL OR i.venue_code = $3) AND ($4::text IS NULL OR coalesce(s.subject_code, e.subject_code) = $4)`;
    const params = [sittingCode, region, q.venueCode ?? null, q.subjectCode ?? null];
    const [counts]: { open: string; decided: string }[] = await ds.query(
      `SELECT count(*) FILTER (WHERE x.decision IS NULL) AS open, count(*) FILTER (WHERE x.decision IS NOT NULL) AS decided FROM (${INCIDENTS_SQL} ${filter}) x`,
      params,
    );
    const total = q.status === 'open' ? Number(counts.open) : q.status === 'decided' ? Number(counts.decided) : Number(counts.open) + Number(counts.decided);
    const rows: IncidentRowDb[] = await ds.query(
      `${INCIDENTS_SQL} ${filter} AND ($5::text IS NULL OR (cur.decision IS NULL) = ($5 = 'open'))
       ORDER BY i.recorded_at, i.incident_id LIMIT $6 OFFSET $7`,
      [...params, q.status ?? null, q.pageSize, (q.page - 1) * q.pageSize],
    );
    return { total, page: q.page, pageSize: q.pageSize, counts: { open: Number(counts.open), decided: Number(counts.decided) }, incidents: rows.map(toIncident) };
  }

  async detail(sittingCode: string, incidentId: string, staff: StaffPrincipal): Promise<IncidentDetail> {
    const db = this.ctx.db.dataSource;
    const [row]: IncidentRowDb[] = await db.query(`${INCIDENTS_SQL} AND i.incident_id = $2`, [sittingCode, incidentId]);
    if (!row) throw new DomainError('NOT_FOUND', `考试计划 ${sittingCode} 中没有考场记录 ${incidentId}`, `no incident ${incidentId} in sitting ${sittingCode}`, 'incidentId');
    await this.regions.venue(staff, row.venue_code);
    const history: { revision: number; decision: IncidentDecision['decision']; basis: string; note: string | null; revision_reason: string | null; decided_by: string; decided_at: Date }[] = await db.query(
      'SELECT * FROM incident_decision WHERE incident_id = $1 ORDER BY revision',
      [incidentId],
    );
    return {
      ...toIncident(row),
      history: history.map((h) => ({ revision: Number(h.revision), decision: h.decision, basis: h.basis, note: h.note, revisionReason: h.revision_reason, decidedBy: h.decided_by, decidedAt: iso(h.decided_at) })),
    };
  }

  async decide(sittingCode: string, incidentId: string, input: unknown, staff: StaffPrincipal): Promise<IncidentDetail> {
    const d = parseInput(DecideIncident, input, '处理决定');
    const before = await this.detail(sittingCode, incidentId, staff);
    if (!before.ticketNo && effectOf(d.decision) !== 'none')
      throw new DomainError('VALIDATION_FAILED', '该记录未关联考生，不能作出成绩无效的处理', 'this incident names no candidate; no score can be voided', 'decision');
    if (before.decision && !d.revisionReason)
      throw new DomainError(
        'VALIDATION_FAILED',
        `该记录已于 ${beijingTime(before.decision.decidedAt)} 由 ${before.decision.decidedBy} 作出处理决定，修改须写明原因`,
        'this incident has a decision already; give the reason for changing it',
        'revisionReason',
      );
    const seen = before.decision?.revision ?? 0;
    if (d.expectedRevision !== undefined && d.expectedRevision !== seen) throw concurrentDecision();
    const revision = seen + 1;
    const at = this.ctx.clock.now().toISOString();
    try {
      await this.ctx.db.dataSource.transaction(async (em) => {
        await em.query(
          'INSERT INTO incident_decision (incident_id, revision, decision, basis, note, revision_reason, decided_by, decided_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)',
          [incidentId, revision, d.decision, d.basis, d.note ?? null, before.decision ? d.revisionReason : null, staff.actor, at],
        );
        await this.audit.record(
          {
            actor: staff.actor,
            action: before.decision ? 'incident.decision_revised' : 'incident.decided',
            subject: incidentId,
            reason: before.decision ? d.revisionReason : undefined,
            details: { sessionId: before.sessionId, ticketNo: before.ticketNo, decision: d.decision, basis: d.basis, revision, previous: before.decision?.decision ?? null },
          },
          em,
        );
      });
    } catch (error) {
      // Two reviewers at once: the revision number is taken, the later one must look again.
      if (error instanceof DomainError) throw error;
      const [taken] = await this.ctx.db.dataSource.query('SELECT 1 FROM incident_decision WHERE incident_id = $1 AND revision = $2', [incidentId, revision]);
      if (taken) throw concurrentDecision();
      throw error;
    }
    // Read back after the commit: the embedded database serves one transaction at a time.
    return this.detail(sittingCode, incidentId, staff);
  }
}
