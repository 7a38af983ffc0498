import { Inject, Injectable } from '@nestjs/common';
import { AnswerValue, IntegrityCheckCode, MinistryAttemptAnswers, MinistryCandidateResult, MinistryExport, MinistryExportManifest, MinistryIncidentDecision, ResultManifest, SignedReceipt } from '@kaowu/contracts';
import { SignedDocument, canonicalJson, sha256Hex, signDocument } from '@kaowu/crypto';
import { subjectResultStatus } from '@kaowu/planning-domain';
import { DomainError } from '@kaowu/server-kit';
import { PROVINCIAL_CONTEXT, ProvincialContext } from '../provincial-context';
import { ProvincialAuditLog } from '../store/audit-log';
import { CompletenessService } from '../intake/completeness.service';
import { IntegrityReportService } from './integrity-report.service';
import { sessionRoster } from './session-roster';
import { CURRENT_DECISION_CTE, voidedResultsOfSitting } from './result-voids';

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * 部级上报: the session's results for the ministry as one package signed by the province —
 * every candidate on the session's roster with the score to publish (成绩无效 when an incident
 * decision voided it), every present candidate's final answers, the incident decisions, the
 * room packages it rests on, and the sitting's integrity summary. The ministry checks it with
 * the province's public key (format: docs/ministry-export.md).
 */
@Injectable()
export class MinistryExportService {
  constructor(
    @Inject(PROVINCIAL_CONTEXT) private readonly ctx: ProvincialContext,
    @Inject(CompletenessService) private readonly completeness: CompletenessService,
    @Inject(IntegrityReportService) private readonly integrity: IntegrityReportService,
    @Inject(ProvincialAuditLog) private readonly audit: ProvincialAuditLog,
  ) {}

  async export(sessionId: string, actor: string): Promise<MinistryExport> {
    const ds = this.ctx.db.dataSource;
    const sessions: { exam_code: string; sitting_code: string; subject_code: string; subject_name: string; starts_at: Date }[] = await ds.query(
      `SELECT s.exam_code, coalesce(s.sitting_code, s.exam_code) AS sitting_code, coalesce(s.subject_code, e.subject_code) AS subject_code,
         coalesce(ss.subject_name, e.subject_name) AS subject_name, s.starts_at
       FROM exam_session s JOIN exam e ON e.exam_code = s.exam_code LEFT JOIN sitting_subject ss ON ss.sitting_code = s.sitting_code AND ss.subject_code = s.subject_code
       WHERE s.session_id = $1`,
      [sessionId],
    );
    if (sessions.length === 0) throw new DomainError('NOT_FOUND', `场次 ${sessionId} 不存在`, `no session ${sessionId}`, 'sessionId');
    const session = sessions[0];
    const status = await this.completeness.session(sessionId);
    const packages: { venue_code: string; room_code: string; package_id: string; manifest_sha256: string; receipt: SignedReceipt; manifest: SignedDocument<ResultManifest> }[] = await ds.query(
      'SELECT venue_code, room_code, package_id, manifest_sha256, receipt, manifest FROM result_package WHERE session_id = $1 ORDER BY venue_code, room_code',
      [sessionId],
    );

    // Every candidate on the session's roster: the imported attempt and score when the room arrived, else nothing yet.
    const roster = await sessionRoster(ds, [sessionId]);
    const attempts: { candidate_id: string; attempt_id: string; status: string; objective_score: string | null; answered: number | null }[] = await ds.query(
      `SELECT a.candidate_id, a.attempt_id, a.status, s.objective_score, s.answered FROM attempt_result a
       LEFT JOIN score s ON s.session_id = a.session_id AND s.candidate_id = a.candidate_id WHERE a.session_id = $1`,
      [sessionId],
    );
    const attemptOf = new Map(attempts.map((a) => [a.candidate_id, a]));
    const voided = await voidedResultsOfSitting(ds, session.sitting_code);
    const results: MinistryCandidateResult[] = roster
      .map((r) => {
        const a = attemptOf.get(r.candidate_id);
        const resultStatus = subjectResultStatus(a?.status ?? null, voided.has(sessionId, r.candidate_id));
        return {
          ticketNo: r.ticket_no,
          venueCode: r.venue_code,
          roomCode: r.room_code,
          status: a?.status ?? 'not_received',
          resultStatus,
          objectiveScore: resultStatus === 'scored' && a?.objective_score != null ? Number(a.objective_score) : null,
          answered: a?.answered == null ? null : Number(a.answered),
        };
      })
      .sort((x, y) => byString(x.ticketNo, y.ticketNo));

    // Final answers (highest seq per item) of every present attempt, with the digest the venue signed.
    const digestOf = new Map(packages.flatMap((p) => p.manifest.body.attempts.map((a) => [a.attemptId, a.finalAnswersSha256] as const)));
    const finals: { attempt_id: string; ticket_no: string; item_id: string; seq: number; value: AnswerValue }[] = await ds.query(
      `SELECT DISTINCT ON (e.attempt_id, e.item_id) e.attempt_id, a.ticket_no, e.item_id, e.seq, e.value
       FROM answer_event e JOIN attempt_result a ON a.attempt_id = e.attempt_id WHERE a.session_id = $1 AND a.status <> 'absent'
       ORDER BY e.attempt_id, e.item_id, e.seq DESC`,
      [sessionId],
    );
    const answersBy = new Map<string, MinistryAttemptAnswers>();
    const ticketOf = new Map(roster.map((r) => [r.candidate_id, r.ticket_no]));
    for (const a of attempts.filter((x) => x.status !== 'absent')) {
      const ticketNo = ticketOf.get(a.candidate_id);
      if (ticketNo) answersBy.set(a.attempt_id, { ticketNo, attemptId: a.attempt_id, finalAnswersSha256: digestOf.get(a.attempt_id) ?? '', answers: [] });
    }
    for (const f of finals) answersBy.get(f.attempt_id)?.answers.push({ itemId: f.item_id, seq: Number(f.seq), value: f.value });
    const answers = [...answersBy.values()].filter((a) => a.finalAnswersSha256).sort((x, y) => byString(x.ticketNo, y.ticketNo));
    for (const a of answers) a.answers.sort((x, y) => byString(x.itemId, y.itemId));

    const decisionRows: { incident_id: string; ticket_no: string | null; kind: MinistryIncidentDecision['kind']; category: string | null; facts: string | null; decision: MinistryIncidentDecision['decision']; basis: string | null; note: string | null; revision: number | null; decided_by: string | null; decided_at: Date | null }[] = await ds.query(
      `WITH ${CURRENT_DECISION_CTE}
       SELECT i.incident_id, i.ticket_no, i.kind, i.category, i.facts, cur.decision, cur.basis, cur.note, cur.revision, cur.decided_by, cur.decided_at
       FROM result_incident i LEFT JOIN cur ON cur.incident_id = i.incident_id WHERE i.session_id = $1 ORDER BY i.recorded_at, i.incident_id`,
      [sessionId],
    );
    const decisions: MinistryIncidentDecision[] = decisionRows.map((d) => ({
      incidentId: d.incident_id, ticketNo: d.ticket_no, kind: d.kind, category: d.category, facts: d.facts, decision: d.decision ?? null, basis: d.basis, note: d.note,
      revision: Number(d.revision ?? 0), decidedBy: d.decided_by, decidedAt: d.decided_at ? new Date(d.decided_at).toISOString() : null,
    }));

    const report = await this.integrity.report(session.sitting_code);
    const missingRooms = status.rooms.filter((r) => r.state !== 'verified').map((r) => ({ venueCode: r.venueCode, roomCode: r.roomCode }));
    const manifest: MinistryExportManifest = {
      format: 'kaowu.ministry-export',
      version: 2,
      provinceKeyId: this.ctx.keys.keyId,
      sessionId,
      sittingCode: session.sitting_code,
      examCode: session.exam_code,
      subjectCode: session.subject_code,
      subjectName: session.subject_name,
      startsAt: new Date(session.starts_at).toISOString(),
      generatedAt: this.ctx.clock.now().toISOString(),
      complete: missingRooms.length === 0 && status.rooms.length > 0,
      expectedRooms: status.rooms.length,
      missingRooms,
      packages: packages.map((p) => ({ venueCode: p.venue_code, roomCode: p.room_code, packageId: p.package_id, manifestSha256: p.manifest_sha256, receiptSha256: sha256Hex(canonicalJson(p.receipt)) })),
      candidates: results.length,
      voided: results.filter((r) => r.resultStatus === 'voided').length,
      openIncidents: decisions.filter((d) => d.decision === null).length,
      resultsSha256: sha256Hex(canonicalJson(results)),
      answersSha256: sha256Hex(canonicalJson(answers)),
      decisionsSha256: sha256Hex(canonicalJson(decisions)),
      integrity: {
        passed: report.passed,
        checks: Object.fromEntries(report.checks.map((c) => [c.code, c.passed])) as Record<IntegrityCheckCode, boolean>,
        reportSha256: sha256Hex(canonicalJson(report)),
        generatedAt: report.generatedAt,
      },
    };
    await this.audit.record({ actor, action: 'ministry_export.generated', subject: sessionId, details: { complete: manifest.complete, candidates: results.length, voided: manifest.voided, resultsSha256: manifest.resultsSha256 } });
    return { manifest: signDocument(manifest, this.ctx.keys), results, answers, decisions };
  }
}
