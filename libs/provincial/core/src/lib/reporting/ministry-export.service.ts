import { Inject, Injectable } from '@nestjs/common';
import { MinistryCandidateResult, MinistryExport, MinistryExportManifest, SignedReceipt } from '@kaowu/contracts';
import { canonicalJson, sha256Hex, signDocument } from '@kaowu/crypto';
import { DomainError } from '@kaowu/server-kit';
import { PROVINCIAL_CONTEXT, ProvincialContext } from '../provincial-context';
import { ProvincialAuditLog } from '../store/audit-log';
import { CompletenessService } from '../intake/completeness.service';

/**
 * 部级上报: the session's results for the ministry as one package signed by the province —
 * every candidate of every venue that sat the session, the room packages they rest on, and
 * whether the sitting is complete. The ministry checks it with the province's public key.
 */
@Injectable()
export class MinistryExportService {
  constructor(
    @Inject(PROVINCIAL_CONTEXT) private readonly ctx: ProvincialContext,
    @Inject(CompletenessService) private readonly completeness: CompletenessService,
    @Inject(ProvincialAuditLog) private readonly audit: ProvincialAuditLog,
  ) {}

  async export(sessionId: string, actor: string): Promise<MinistryExport> {
    const ds = this.ctx.db.dataSource;
    const sessions: { exam_code: string; subject_code: string; subject_name: string; starts_at: Date }[] = await ds.query(
      'SELECT s.exam_code, e.subject_code, e.subject_name, s.starts_at FROM exam_session s JOIN exam e ON e.exam_code = s.exam_code WHERE s.session_id = $1',
      [sessionId],
    );
    if (sessions.length === 0) throw new DomainError('NOT_FOUND', `场次 ${sessionId} 不存在`, `no session ${sessionId}`, 'sessionId');
    const status = await this.completeness.session(sessionId);
    const packages: { venue_code: string; room_code: string; package_id: string; manifest_sha256: string; receipt: SignedReceipt }[] = await ds.query(
      'SELECT venue_code, room_code, package_id, manifest_sha256, receipt FROM result_package WHERE session_id = $1 ORDER BY venue_code, room_code',
      [sessionId],
    );
    // Every candidate of the session's venues: the imported attempt and score when the room arrived, else nothing yet.
    const rows: { ticket_no: string; venue_code: string; room_code: string; status: string | null; objective_score: string | null; answered: number | null }[] = await ds.query(
      `SELECT c.ticket_no, c.venue_code, c.room_code, a.status, s.objective_score, s.answered
       FROM candidate c JOIN venue_package vp ON vp.venue_code = c.venue_code AND vp.session_id = $1
       LEFT JOIN attempt_result a ON a.candidate_id = c.candidate_id AND a.session_id = $1
       LEFT JOIN score s ON s.candidate_id = c.candidate_id AND s.session_id = $1
       ORDER BY c.ticket_no`,
      [sessionId],
    );
    const results: MinistryCandidateResult[] = rows.map((r) => ({
      ticketNo: r.ticket_no,
      venueCode: r.venue_code,
      roomCode: r.room_code,
      status: r.status ?? 'not_received',
      objectiveScore: r.objective_score === null ? null : Number(r.objective_score),
      answered: r.answered === null ? null : Number(r.answered),
    }));
    const missingRooms = status.rooms.filter((r) => r.state !== 'verified').map((r) => ({ venueCode: r.venueCode, roomCode: r.roomCode }));
    const manifest: MinistryExportManifest = {
      format: 'kaowu.ministry-export',
      version: 1,
      provinceKeyId: this.ctx.keys.keyId,
      sessionId,
      examCode: sessions[0].exam_code,
      subjectCode: sessions[0].subject_code,
      subjectName: sessions[0].subject_name,
      startsAt: new Date(sessions[0].starts_at).toISOString(),
      generatedAt: this.ctx.clock.now().toISOString(),
      complete: missingRooms.length === 0 && status.rooms.length > 0,
      expectedRooms: status.rooms.length,
      missingRooms,
      packages: packages.map((p) => ({ venueCode: p.venue_code, roomCode: p.room_code, packageId: p.package_id, manifestSha256: p.manifest_sha256, receiptSha256: sha256Hex(canonicalJson(p.receipt)) })),
      candidates: results.length,
      resultsSha256: sha256Hex(canonicalJson(results)),
    };
    await this.audit.record({ actor, action: 'ministry_export.generated', subject: sessionId, details: { complete: manifest.complete, candidates: results.length, resultsSha256: manifest.resultsSha256 } });
    return { manifest: signDocument(manifest, this.ctx.keys), results };
  }
}
