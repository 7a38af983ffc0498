import { Inject, Injectable } from '@nestjs/common';
import { AnswerEventRecord, AttemptResult, AttemptStatus, AttemptSummary, ResultManifest, ResultPackage, ResultPayload } from '@kaowu/contracts';
import { attemptChainHead } from '@kaowu/exam-domain';
import { canonicalJson, sealBlob, sha256Hex, signDocument, toBase64, utf8 } from '@kaowu/crypto';
import { VENUE_CONTEXT, VenueContext } from '../venue-context';
import { LoadedSession } from '../exam-room/session-registry';
import { AuditLog } from '../store/audit-log';


/**
 * 自动回收并加密: seals a room's results for the province — every attempt with every
 * acknowledged event, the payload sealed to the province, the manifest signed by the venue.
 * Sealed once per room and session and stored, so a re-upload sends the very same package.
 */
@Injectable()
export class ResultSealer {
  constructor(
    @Inject(VENUE_CONTEXT) private readonly ctx: VenueContext,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  async sealRoom(session: LoadedSession, roomCode: string): Promise<ResultPackage> {
    const ds = this.ctx.db.dataSource;
    const sessionId = session.schedule.sessionId;
    const stored: { package: ResultPackage }[] = await ds.query('SELECT package FROM result_upload WHERE room_code = $1 AND session_id = $2', [roomCode, sessionId]);
    if (stored.length > 0) return stored[0].package;

    const sealedAt = session.timeline.scheduledEndAt.toISOString();
    // Candidates who never logged in are recorded absent (缺考), so the roster and the package agree.
    const candidates: { candidate_id: string; ticket_no: string; attempt_id: string | null; status: AttemptStatus | null; logged_in_at: Date | null; ended_at: Date | null }[] = await ds.query(
      `SELECT c.candidate_id, c.ticket_no, a.attempt_id, a.status, a.logged_in_at, a.ended_at
       FROM candidate c LEFT JOIN attempt a ON a.candidate_id = c.candidate_id AND a.session_id = $2
       WHERE c.room_code = $1 ORDER BY c.ticket_no`,
      [roomCode, sessionId],
    );
    const events: { attempt_id: string; seq: number; item_id: string; value: AnswerEventRecord['value']; received_at: Date }[] = await ds.query(
      `SELECT e.attempt_id, e.seq, e.item_id, e.value, e.received_at FROM answer_event e
       JOIN attempt a ON a.attempt_id = e.attempt_id JOIN candidate c ON c.candidate_id = a.candidate_id
       WHERE c.room_code = $1 AND a.session_id = $2 ORDER BY e.attempt_id, e.seq`,
      [roomCode, sessionId],
    );
    const byAttempt = new Map<string, AnswerEventRecord[]>();
    for (const e of events) {
      const list = byAttempt.get(e.attempt_id) ?? [];
      list.push({ seq: Number(e.seq), itemId: e.item_id, value: e.value, receivedAt: new Date(e.received_at).toISOString() });
      byAttempt.set(e.attempt_id, list);
    }
    const attempts: AttemptResult[] = candidates.map((c) => ({
      attemptId: c.attempt_id ?? `absent-${sessionId}-${c.candidate_id}`,
      candidateId: c.candidate_id,
      ticketNo: c.ticket_no,
      status: c.status ?? 'absent',
      loggedInAt: c.logged_in_at ? new Date(c.logged_in_at).toISOString() : null,
      endedAt: c.ended_at ? new Date(c.ended_at).toISOString() : null,
      events: c.attempt_id ? (byAttempt.get(c.attempt_id) ?? []) : [],
    }));
    const payload: ResultPayload = { format: 'kaowu.result-payload', version: 1, attempts };
    const plain = utf8(canonicalJson(payload));
    const sealed = sealBlob(plain, this.ctx.province.boxPublicKey);
    const summaries: AttemptSummary[] = attempts.map((a) => ({
      attemptId: a.attemptId,
      ticketNo: a.ticketNo,
      status: a.status,
      answerCount: a.events.length,
      lastSeq: a.events.length ? a.events[a.events.length - 1].seq : 0,
      chainHead: attemptChainHead(a.events),
    }));
    const manifest: ResultManifest = {
      format: 'kaowu.result-package',
      version: 1,
      packageId: `${this.ctx.config.VENUE_CODE}-${sessionId}-${roomCode}`,
      venueCode: this.ctx.config.VENUE_CODE,
      venueKeyId: this.ctx.keys.keyId,
      roomCode,
      sessionId,
      paperId: session.packageId,
      sealedAt,
      expectedCandidates: candidates.length,
      presentCandidates: attempts.filter((a) => a.status !== 'absent').length,
      attempts: summaries,
      payload: { sealedKey: sealed.sealedKey, sha256: sha256Hex(sealed.ciphertext), bytes: sealed.ciphertext.length },
    };
    const pkg: ResultPackage = { manifest: signDocument(manifest, this.ctx.keys), payload: toBase64(sealed.ciphertext) };
    // First writer wins: a concurrent seal of the same room keeps the stored one.
    await ds.query(
      'INSERT INTO result_upload (room_code, session_id, package_id, package, sealed_at) VALUES ($1,$2,$3,$4,$5) ON CONFLICT (room_code, session_id) DO NOTHING',
      [roomCode, sessionId, manifest.packageId, JSON.stringify(pkg), this.ctx.clock.now().toISOString()],
    );
    await this.audit.record({ actor: 'system', action: 'room.sealed', subject: manifest.packageId, details: { attempts: attempts.length, events: events.length } });
    const again: { package: ResultPackage }[] = await ds.query('SELECT package FROM result_upload WHERE room_code = $1 AND session_id = $2', [roomCode, sessionId]);
    return again[0].package;
  }
}
