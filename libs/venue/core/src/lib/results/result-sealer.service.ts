import { Inject, Injectable } from '@nestjs/common';
import { AnswerEventRecord, AnswerValue, AttemptResult, AttemptStatus, ResultManifest, ResultPackage, ResultPayload, RoomIncident } from '@kaowu/contracts';
import { attemptChainHead, confirmationCounts, finalAnswersDigest, roomClosedAt } from '@kaowu/exam-domain';
import { CHAIN_GENESIS, canonicalJson, sealBlob, sha256Hex, signDocument, toBase64, utf8 } from '@kaowu/crypto';
import { VENUE_CONTEXT, VenueContext } from '../venue-context';
import { LoadedSession, SessionRegistry } from '../exam-room/session-registry';
import { AuditLog } from '../store/audit-log';

/** Audited actions a reviewer of the room must see (换机, 补时, 暂停/恢复, focus loss, re-login). */
const ATTEMPT_INCIDENTS = ['attempt.seat_moved', 'attempt.credited', 'attempt.extended', 'attempt.paused', 'attempt.resumed', 'attempt.focus_lost', 'attempt.forced', 'candidate.relogin'];
const ROOM_INCIDENTS = ['room.paused', 'room.resumed', 'room.broadcast'];
/** What proctors record about people (违纪, 人证不符, 强制交卷 incidents; 缺考): subject is the incident or the 准考证号. */
const PERSON_INCIDENTS = ['incident.identity_mismatch', 'incident.violation', 'incident.forced_hand_in', 'candidate.absent'];
const VENUE_INCIDENTS = ['venue.paused', 'venue.resumed'];
/** The upload pipeline's own audit entries: written after the close, never part of what is sealed. */
export const RESULT_PIPELINE_ACTIONS = ['room.sealed', 'room.uploaded', 'room.upload_failed', 'room.exported'];
/** Where the room's incidents start: the earliest a candidate may log in (T-30) with margin. */
const INCIDENT_WINDOW_BEFORE_START_MS = 60 * 60_000;
export const UPLOAD_DEADLINE_MS = 30 * 60_000;

export interface ComposedRoom {
  manifest: ResultManifest;
  payload: ResultPayload;
}

/**
 * 自动回收并加密: seals a room's results for the province — every attempt with every
 * acknowledged event, the payload sealed to the province, the manifest signed by the venue.
 * The manifest is derived from the room's data alone (no clock, no randomness), so composing
 * the same room twice gives the same manifest; the package is stored once, so a re-upload
 * sends the very same bytes.
 */
@Injectable()
export class ResultSealer {
  constructor(
    @Inject(VENUE_CONTEXT) private readonly ctx: VenueContext,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(SessionRegistry) private readonly sessions: SessionRegistry,
  ) {}

  /** Compose a room of a loaded session again, e.g. to prove it gives the manifest that was sealed. */
  async recompose(sessionId: string, roomCode: string): Promise<ComposedRoom> {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`session ${sessionId} is not loaded`);
    return this.composeRoom(session, roomCode);
  }

  packageIdOf(sessionId: string, roomCode: string): string {
    return `${this.ctx.config.VENUE_CODE}-${sessionId}-${roomCode}`;
  }

  async storedPackage(sessionId: string, roomCode: string): Promise<ResultPackage | undefined> {
    const rows: { package: ResultPackage }[] = await this.ctx.db.dataSource.query('SELECT package FROM result_upload WHERE room_code = $1 AND session_id = $2', [roomCode, sessionId]);
    return rows[0]?.package;
  }

  /** The room's manifest and payload, from the journal, the roster and the audit log. */
  async composeRoom(session: LoadedSession, roomCode: string): Promise<ComposedRoom> {
    const ds = this.ctx.db.dataSource;
    const sessionId = session.schedule.sessionId;
    await this.audit.headHash(); // let queued audit entries land first
    // Candidates who never logged in are recorded absent (缺考), so the roster and the package agree.
    const candidates: { candidate_id: string; ticket_no: string; attempt_id: string | null; status: AttemptStatus | null; logged_in_at: Date | null; ended_at: Date | null; credited_minutes: number | null }[] = await ds.query(
      `SELECT c.registrant_id AS candidate_id, c.ticket_no, a.attempt_id, a.status, a.logged_in_at, a.ended_at, a.credited_minutes
       FROM candidate c LEFT JOIN attempt a ON a.candidate_id = c.candidate_id AND a.session_id = $2
       WHERE c.room_code = $1 AND c.session_id = $2 ORDER BY c.ticket_no`,
      [roomCode, sessionId],
    );
    const events: { attempt_id: string; seq: number; item_id: string; value: AnswerEventRecord['value']; received_at: Date }[] = await ds.query(
      `SELECT e.attempt_id, e.seq, e.item_id, e.value, e.received_at FROM answer_event e
       JOIN attempt a ON a.attempt_id = e.attempt_id JOIN candidate c ON c.candidate_id = a.candidate_id
       WHERE c.room_code = $1 AND a.session_id = $2 ORDER BY e.attempt_id, e.seq`,
      [roomCode, sessionId],
    );
    const finals: { attempt_id: string; item_id: string; seq: number; value: AnswerValue }[] = await ds.query(
      `SELECT ca.attempt_id, ca.item_id, ca.seq, ca.value FROM current_answer ca
       JOIN attempt a ON a.attempt_id = ca.attempt_id JOIN candidate c ON c.candidate_id = a.candidate_id
       WHERE c.room_code = $1 AND a.session_id = $2`,
      [roomCode, sessionId],
    );
    const byAttempt = new Map<string, AnswerEventRecord[]>();
    for (const e of events) {
      const list = byAttempt.get(e.attempt_id) ?? [];
      list.push({ seq: Number(e.seq), itemId: e.item_id, value: e.value, receivedAt: new Date(e.received_at).toISOString() });
      byAttempt.set(e.attempt_id, list);
    }
    const finalsByAttempt = new Map<string, { itemId: string; seq: number; value: AnswerValue }[]>();
    for (const f of finals) {
      const list = finalsByAttempt.get(f.attempt_id) ?? [];
      list.push({ itemId: f.item_id, seq: Number(f.seq), value: f.value });
      finalsByAttempt.set(f.attempt_id, list);
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

    // The room's end: the scheduled end plus the most time credited to any of its candidates (补时, 暂停, 换机).
    const credited = Math.max(0, ...candidates.map((c) => Number(c.credited_minutes ?? 0)));
    const closedAt = roomClosedAt(session.timeline.scheduledEndAt, credited);
    const ticketOf = new Map<string, string>(attempts.map((a) => [a.attemptId, a.ticketNo]));
    const recorded: { incident_id: string; ticket_no: string | null; category: string | null; evidence: string | null }[] = await ds.query(
      'SELECT i.incident_id, c.ticket_no, i.category, i.evidence FROM incident i LEFT JOIN candidate c ON c.candidate_id = i.candidate_id WHERE i.session_id = $1 AND i.room_code = $2',
      [sessionId, roomCode],
    );
    for (const r of recorded) if (r.ticket_no) ticketOf.set(r.incident_id, r.ticket_no);
    for (const c of candidates) ticketOf.set(c.ticket_no, c.ticket_no);
    const audited: { id: string; hash: string; at: Date; action: string; actor: string; subject: string; reason: string | null }[] = await ds.query(
      `SELECT id, hash, at, action, actor, subject, reason FROM audit_event
       WHERE at <= $1 AND at >= $2 AND (
         (action = ANY($3::text[]) AND subject = ANY($4::text[]))
         OR (action = ANY($5::text[]) AND subject = $6)
         OR action = ANY($7::text[])
         OR (action = ANY($8::text[]) AND subject = ANY($9::text[])))
       ORDER BY id`,
      [
        closedAt.toISOString(),
        new Date(session.timeline.startsAt.getTime() - INCIDENT_WINDOW_BEFORE_START_MS).toISOString(),
        ATTEMPT_INCIDENTS,
        attempts.map((a) => a.attemptId),
        ROOM_INCIDENTS,
        roomCode,
        VENUE_INCIDENTS,
        PERSON_INCIDENTS,
        [...recorded.map((r) => r.incident_id), ...candidates.map((c) => c.ticket_no)],
      ],
    );
    // a 违纪's category and evidence go with it, for the province's 违规违纪处理
    const violationOf = new Map(recorded.filter((r) => r.category).map((r) => [r.incident_id, r]));
    const incidents: RoomIncident[] = audited.map((e) => {
      const v = violationOf.get(e.subject);
      return {
        auditId: Number(e.id),
        auditHash: e.hash,
        at: new Date(e.at).toISOString(),
        action: e.action,
        actor: e.actor,
        ticketNo: ticketOf.get(e.subject) ?? null,
        reason: e.reason,
        ...(v ? { category: v.category, evidence: v.evidence } : {}),
      };
    });
    const head: { id: string; hash: string }[] = await ds.query(
      'SELECT id, hash FROM audit_event WHERE at <= $1 AND NOT (action = ANY($2::text[])) ORDER BY id DESC LIMIT 1',
      [closedAt.toISOString(), RESULT_PIPELINE_ACTIONS],
    );

    // 核查无误, as of the moment the room is sealed at the latest: the same manifest whenever it is composed
    const graceMinutes = this.ctx.config.RESULT_CONFIRMATION_GRACE_MINUTES;
    const confirmations: { actor: string; confirmed_at: Date }[] = await ds.query('SELECT actor, confirmed_at FROM room_confirmation WHERE session_id = $1 AND room_code = $2', [sessionId, roomCode]);
    const confirmation = confirmations.find((c) => confirmationCounts(new Date(c.confirmed_at), closedAt, graceMinutes));
    const acknowledgements: { anomaly_id: string; note: string; actor: string; acknowledged_at: Date }[] = confirmation
      ? await ds.query('SELECT anomaly_id, note, actor, acknowledged_at FROM anomaly_ack WHERE session_id = $1 AND room_code = $2 AND acknowledged_at <= $3 ORDER BY anomaly_id', [
          sessionId,
          roomCode,
          new Date(confirmation.confirmed_at).toISOString(),
        ])
      : [];

    const manifest: ResultManifest = {
      format: 'kaowu.result-package',
      version: 2,
      packageId: this.packageIdOf(sessionId, roomCode),
      venueCode: this.ctx.config.VENUE_CODE,
      venueKeyId: this.ctx.keys.keyId,
      roomCode,
      sessionId,
      paperId: session.packageId,
      closedAt: closedAt.toISOString(),
      expectedCandidates: candidates.length,
      presentCandidates: attempts.filter((a) => a.status !== 'absent').length,
      attempts: attempts.map((a) => ({
        attemptId: a.attemptId,
        ticketNo: a.ticketNo,
        status: a.status,
        answerCount: a.events.length,
        lastSeq: a.events.length ? a.events[a.events.length - 1].seq : 0,
        chainHead: attemptChainHead(a.events),
        finalAnswersSha256: finalAnswersDigest(finalsByAttempt.get(a.attemptId) ?? []),
      })),
      incidents,
      auditHead: head[0] ? { auditId: Number(head[0].id), hash: head[0].hash } : { auditId: 0, hash: CHAIN_GENESIS },
      payload: { sha256: sha256Hex(plain), bytes: plain.length },
      verification: confirmation
        ? {
            confirmedBy: confirmation.actor,
            confirmedAt: new Date(confirmation.confirmed_at).toISOString(),
            acknowledgements: acknowledgements.map((a) => ({ anomalyId: a.anomaly_id, note: a.note, actor: a.actor, at: new Date(a.acknowledged_at).toISOString() })),
          }
        : null,
    };
    return { manifest, payload };
  }

  /** Seal the room once: the stored package when there is one, else compose, seal, sign and store it. */
  async sealRoom(session: LoadedSession, roomCode: string): Promise<ResultPackage> {
    const sessionId = session.schedule.sessionId;
    const stored = await this.storedPackage(sessionId, roomCode);
    if (stored) return stored;

    const { manifest, payload } = await this.composeRoom(session, roomCode);
    const sealed = sealBlob(utf8(canonicalJson(payload)), this.ctx.province.boxPublicKey);
    const pkg: ResultPackage = {
      manifest: signDocument(manifest, this.ctx.keys),
      envelope: { sealedKey: sealed.sealedKey, sha256: sha256Hex(sealed.ciphertext), bytes: sealed.ciphertext.length },
      payload: toBase64(sealed.ciphertext),
    };
    const fileBytes = resultPackageBytes(pkg);
    // First writer wins: a concurrent seal of the same room keeps the stored one.
    await this.ctx.db.dataSource.query(
      `INSERT INTO result_upload (room_code, session_id, package_id, package, sealed_at, closed_at, deadline_at, total_bytes, package_sha256)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT (room_code, session_id) DO NOTHING`,
      [
        roomCode,
        sessionId,
        manifest.packageId,
        JSON.stringify(pkg),
        this.ctx.clock.now().toISOString(),
        manifest.closedAt,
        new Date(Date.parse(manifest.closedAt) + UPLOAD_DEADLINE_MS).toISOString(),
        fileBytes.length,
        sha256Hex(fileBytes),
      ],
    );
    const attempts = manifest.attempts;
    await this.audit.record({ actor: 'system', action: 'room.sealed', subject: manifest.packageId, details: { attempts: attempts.length, events: attempts.reduce((n, a) => n + a.answerCount, 0) } });
    return (await this.storedPackage(sessionId, roomCode))!;
  }
}

/** The bytes of a sealed package as uploaded and exported: canonical JSON, so the same package is always the same file. */
export function resultPackageBytes(pkg: ResultPackage): Uint8Array {
  return utf8(canonicalJson(pkg));
}
