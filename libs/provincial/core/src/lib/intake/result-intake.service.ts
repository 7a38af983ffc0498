import { Inject, Injectable } from '@nestjs/common';
import { CreatePaper, REVIEWED_INCIDENT_ACTIONS, Receipt, ResultManifest, ResultPackage, ResultPayload, SignedReceipt } from '@kaowu/contracts';
import type { EntityManager } from 'typeorm';
import { CryptoError, canonicalJson, fromBase64, fromUtf8, openBlob, sha256Hex, signDocument, verifyDocument } from '@kaowu/crypto';
import { ObjectiveKey, attemptChainHead, finalAnswers, finalAnswersDigest, scoreObjective } from '@kaowu/exam-domain';
import { DomainError, parseInput } from '@kaowu/server-kit';
import { PROVINCIAL_CONTEXT, ProvincialContext } from '../provincial-context';
import { ProvincialAuditLog } from '../store/audit-log';
import { sessionRoster } from '../reporting/session-roster';

export const refuse = (code: ConstructorParameters<typeof DomainError>[0], zh: string, en: string, field?: string, details?: Record<string, unknown>) =>
  new DomainError(code, zh, en, field, details);


/**
 * 考试数据接收: verifies a room's result package (known venue key, signature, hashes, chain
 * heads, completeness against the roster), decrypts it, imports it in one transaction, scores
 * the objective items and answers with a signed receipt. Anything wrong → refused with the
 * reason, nothing written. The same package again → the same receipt.
 */
@Injectable()
export class ResultIntakeService {
  constructor(
    @Inject(PROVINCIAL_CONTEXT) private readonly ctx: ProvincialContext,
    @Inject(ProvincialAuditLog) private readonly audit: ProvincialAuditLog,
  ) {}

  /**
   * `alongside` runs inside the import's transaction (the upload that carried the package is
   * marked complete in the same commit as the answers it brought).
   */
  async intake(input: unknown, alongside?: (em: EntityManager, receipt: SignedReceipt) => Promise<void>): Promise<SignedReceipt> {
    const pkg = parseInput(ResultPackage, input, '考试数据包');
    const claimed = pkg.manifest.body;
    const ds = this.ctx.db.dataSource;

    const revoked: { reason: string; revoked_at: Date }[] = await ds.query('SELECT reason, revoked_at FROM venue_key_revocation WHERE key_id = $1', [pkg.manifest.signature.keyId]);
    if (revoked.length > 0)
      throw refuse('PACKAGE_KEY_REVOKED', `数据包的签名密钥已于 ${new Date(revoked[0].revoked_at).toISOString()} 吊销（${revoked[0].reason}），请考点更换密钥后重新封装`, `the signing key of this package was revoked (${revoked[0].reason}); the venue must re-key and re-seal`, 'manifest.signature.keyId', { keyId: pkg.manifest.signature.keyId });

    const venues: { key_id: string | null; signing_public_key: string | null; box_public_key: string | null }[] = await ds.query(
      'SELECT key_id, signing_public_key, box_public_key FROM venue WHERE venue_code = $1',
      [claimed.venueCode],
    );
    const venue = venues[0];
    if (!venue?.key_id || venue.key_id !== pkg.manifest.signature.keyId)
      throw refuse('PACKAGE_UNKNOWN_SIGNER', `数据包签名密钥不是考点 ${claimed.venueCode} 登记的密钥`, `package not signed by the registered key of venue ${claimed.venueCode}`, 'manifest.signature.keyId');
    let manifest: ResultManifest;
    try {
      manifest = verifyDocument(pkg.manifest, { keyId: venue.key_id, signingPublicKey: venue.signing_public_key!, boxPublicKey: venue.box_public_key! });
    } catch {
      throw refuse('PACKAGE_SIGNATURE_INVALID', '数据包清单签名校验失败，清单可能被篡改', 'manifest signature does not verify', 'manifest.signature');
    }

    const manifestSha256 = sha256Hex(canonicalJson(pkg.manifest));
    const prior: { manifest_sha256: string; receipt: SignedReceipt }[] = await ds.query('SELECT manifest_sha256, receipt FROM result_package WHERE package_id = $1', [manifest.packageId]);
    if (prior.length > 0) {
      if (prior[0].manifest_sha256 === manifestSha256) return prior[0].receipt; // a re-send: same receipt, nothing duplicated
      throw refuse('PACKAGE_REPLAYED', `数据包 ${manifest.packageId} 已接收过且内容不同，拒绝重复导入`, `package ${manifest.packageId} was already received with different content`, 'manifest.packageId');
    }

    const sameRoom: { package_id: string }[] = await ds.query('SELECT package_id FROM result_package WHERE venue_code = $1 AND room_code = $2 AND session_id = $3', [
      manifest.venueCode,
      manifest.roomCode,
      manifest.sessionId,
    ]);
    if (sameRoom.length > 0)
      throw refuse('PACKAGE_REPLAYED', `考场 ${manifest.roomCode} 场次 ${manifest.sessionId} 的数据已以数据包 ${sameRoom[0].package_id} 接收，拒绝另一个数据包`, `room ${manifest.roomCode} of session ${manifest.sessionId} was already received as package ${sameRoom[0].package_id}`, 'manifest.packageId', { receivedPackageId: sameRoom[0].package_id });

    const sessions: { session_id: string; paper_id: string; items: CreatePaper['items'] }[] = await ds.query(
      'SELECT s.session_id, s.paper_id, p.items FROM exam_session s JOIN paper p ON p.paper_id = s.paper_id WHERE s.session_id = $1',
      [manifest.sessionId],
    );
    const exported = await ds.query('SELECT 1 FROM venue_package WHERE venue_code = $1 AND session_id = $2', [manifest.venueCode, manifest.sessionId]);
    if (sessions.length === 0 || exported.length === 0)
      throw refuse('PACKAGE_WRONG_SESSION', `考点 ${manifest.venueCode} 没有场次 ${manifest.sessionId} 的考试安排`, `venue ${manifest.venueCode} has no session ${manifest.sessionId}`, 'manifest.sessionId');

    const ciphertext = fromBase64(pkg.payload);
    if (ciphertext.length < pkg.envelope.bytes)
      throw refuse('PACKAGE_TRUNCATED', `数据包不完整：应为 ${pkg.envelope.bytes} 字节，实收 ${ciphertext.length} 字节`, `payload is truncated: ${ciphertext.length} of ${pkg.envelope.bytes} bytes`, 'payload', { expectedBytes: pkg.envelope.bytes, receivedBytes: ciphertext.length });
    if (ciphertext.length !== pkg.envelope.bytes || sha256Hex(ciphertext) !== pkg.envelope.sha256)
      throw refuse('PACKAGE_TAMPERED', '数据包密文与封装摘要不符，可能被篡改', 'payload ciphertext does not match its envelope digest', 'payload');
    let plain: Uint8Array;
    try {
      plain = openBlob(pkg.envelope.sealedKey, ciphertext, this.ctx.keys);
    } catch (error) {
      if (error instanceof CryptoError && error.code === 'TRUNCATED') throw refuse('PACKAGE_TRUNCATED', '数据包解密时发现内容不完整', 'payload is truncated', 'payload');
      throw refuse('PACKAGE_TAMPERED', '数据包无法解密（不是封装给本省的数据）', 'payload cannot be decrypted with the province key', 'envelope.sealedKey');
    }
    // The signed manifest names the plaintext's digest: any other payload, however sealed, is refused.
    if (plain.length !== manifest.payload.bytes || sha256Hex(plain) !== manifest.payload.sha256)
      throw refuse('PACKAGE_TAMPERED', '解密后的考试数据与签名清单的摘要不符', 'decrypted payload does not match the signed manifest digest', 'payload');
    let payload: ResultPayload;
    try {
      payload = parseInput(ResultPayload, JSON.parse(fromUtf8(plain)), '考试数据');
    } catch {
      throw refuse('PACKAGE_TAMPERED', '考试数据内容无效', 'payload is not a valid result payload', 'payload');
    }

    // Every attempt in the manifest must match the payload: counts, chain heads, final answers.
    const byId = new Map(payload.attempts.map((a) => [a.attemptId, a]));
    if (byId.size !== manifest.attempts.length) throw refuse('PACKAGE_TAMPERED', '数据包考生数与清单不符', 'attempt count differs from the manifest', 'payload');
    for (const s of manifest.attempts) {
      const a = byId.get(s.attemptId);
      if (!a || a.ticketNo !== s.ticketNo || a.status !== s.status || a.events.length !== s.answerCount || attemptChainHead(a.events) !== s.chainHead)
        throw refuse('PACKAGE_TAMPERED', `考生 ${s.ticketNo} 的作答记录与清单的哈希链不符`, `attempt ${s.attemptId} does not match its chain head`, 'payload', { ticketNo: s.ticketNo });
      if (finalAnswersDigest(finalAnswers(a.events)) !== s.finalAnswersSha256)
        throw refuse('PACKAGE_TAMPERED', `考生 ${s.ticketNo} 的最终答案与清单摘要不符`, `final answers of attempt ${s.attemptId} do not match the manifest`, 'payload', { ticketNo: s.ticketNo });
    }
    // Completeness: every candidate of the room on the roster is in the package (present or absent).
    const roster = await sessionRoster(ds, [manifest.sessionId], { venueCode: manifest.venueCode, roomCode: manifest.roomCode });
    const inPackage = new Set(payload.attempts.map((a) => a.candidateId));
    const missing = roster.filter((c) => !inPackage.has(c.candidate_id)).map((c) => c.ticket_no);
    if (missing.length === 0 && manifest.expectedCandidates !== roster.length)
      throw refuse('PACKAGE_INCOMPLETE', `清单应考人数 ${manifest.expectedCandidates} 与本考场名册 ${roster.length} 人不符`, `manifest expects ${manifest.expectedCandidates} candidates, the roster has ${roster.length}`, 'manifest.expectedCandidates');
    if (missing.length > 0)
      throw refuse('PACKAGE_INCOMPLETE', `数据包缺少 ${missing.length} 名考生：${missing.slice(0, 10).join('、')}`, `${missing.length} candidates of the roster are missing`, 'payload', { missing });
    const rosterIds = new Set(roster.map((c) => c.candidate_id));
    const strangers = payload.attempts.filter((a) => !rosterIds.has(a.candidateId));
    if (strangers.length > 0) throw refuse('PACKAGE_TAMPERED', '数据包包含不属于本考场的考生', 'package contains candidates not on the room roster', 'payload');

    // Objective scoring covers choice items; every answer (case answers included) is imported for the graders.
    const keys: ObjectiveKey[] = sessions[0].items.flatMap((it) =>
      it.type === 'calculation' || it.type === 'comprehensive' ? [] : [{ itemId: it.itemId, type: it.type, correct: it.correct, score: it.score }],
    );
    const now = this.ctx.clock.now().toISOString();
    const answersImported = payload.attempts.reduce((n, a) => n + a.events.length, 0);
    const receiptBody: Receipt = {
      format: 'kaowu.receipt',
      version: 1,
      packageId: manifest.packageId,
      manifestSha256,
      venueCode: manifest.venueCode,
      roomCode: manifest.roomCode,
      sessionId: manifest.sessionId,
      attemptsImported: payload.attempts.length,
      answersImported,
      receivedAt: now,
    };
    const receipt = signDocument(receiptBody, this.ctx.keys);

    try {
      await ds.transaction(async (em) => {
        await this.importPackage(em, pkg, manifest, manifestSha256, payload, keys, receipt, now);
        await alongside?.(em, receipt);
      });
    } catch (error) {
      // Two copies of one package racing (an upload and a file import): the loser gets the winner's answer.
      const again: { manifest_sha256: string; receipt: SignedReceipt }[] = await ds.query('SELECT manifest_sha256, receipt FROM result_package WHERE package_id = $1', [manifest.packageId]);
      if (again.length === 0) throw error;
      if (again[0].manifest_sha256 !== manifestSha256)
        throw refuse('PACKAGE_REPLAYED', `数据包 ${manifest.packageId} 已接收过且内容不同，拒绝重复导入`, `package ${manifest.packageId} was already received with different content`, 'manifest.packageId');
      if (alongside) await ds.transaction((em) => alongside(em, again[0].receipt));
      return again[0].receipt;
    }
    this.ctx.logger.info({ packageId: manifest.packageId, answers: answersImported }, 'result package imported');
    return receipt;
  }

  private async importPackage(em: EntityManager, pkg: ResultPackage, manifest: ResultManifest, manifestSha256: string, payload: ResultPayload, keys: ObjectiveKey[], receipt: SignedReceipt, now: string): Promise<void> {
    const answersImported = receipt.body.answersImported;
    await em.query(
      'INSERT INTO result_package (package_id, manifest_sha256, venue_code, room_code, session_id, manifest, receipt, received_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)',
      [manifest.packageId, manifestSha256, manifest.venueCode, manifest.roomCode, manifest.sessionId, JSON.stringify(pkg.manifest), JSON.stringify(receipt), now],
    );
    const a = payload.attempts;
    await em.query(
      `INSERT INTO attempt_result (attempt_id, package_id, session_id, candidate_id, ticket_no, status, answer_count)
       SELECT a, $1, $2, c, t, s, n FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::int[]) AS x(a, c, t, s, n)`,
      [manifest.packageId, manifest.sessionId, a.map((x) => x.attemptId), a.map((x) => x.candidateId), a.map((x) => x.ticketNo), a.map((x) => x.status), a.map((x) => x.events.length)],
    );
    const ev = a.flatMap((x) => x.events.map((e) => ({ attemptId: x.attemptId, ...e })));
    for (let i = 0; i < ev.length; i += 5000) {
      const chunk = ev.slice(i, i + 5000);
      await em.query(
        `INSERT INTO answer_event (attempt_id, seq, item_id, value, received_at)
         SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::jsonb[], $5::timestamptz[])`,
        [chunk.map((e) => e.attemptId), chunk.map((e) => e.seq), chunk.map((e) => e.itemId), chunk.map((e) => JSON.stringify(e.value)), chunk.map((e) => e.receivedAt)],
      );
    }
    // 客观题评分: the final answer per item is the one with the highest seq.
    const scores = a.map((x) => {
      const finals = finalAnswers(x.events).map((f) => [f.itemId, f.value.kind === 'choice' ? f.value.selected : []] as const);
      const result = scoreObjective(keys, new Map(finals));
      return { candidateId: x.candidateId, ticketNo: x.ticketNo, total: result.total, answered: result.answered };
    });
    await em.query(
      `INSERT INTO score (session_id, candidate_id, ticket_no, objective_score, answered)
       SELECT $1, c, t, s, n FROM unnest($2::text[], $3::text[], $4::numeric[], $5::int[]) AS x(c, t, s, n)
       ON CONFLICT (session_id, candidate_id) DO UPDATE SET objective_score = EXCLUDED.objective_score, answered = EXCLUDED.answered`,
      [manifest.sessionId, scores.map((s) => s.candidateId), scores.map((s) => s.ticketNo), scores.map((s) => s.total), scores.map((s) => s.answered)],
    );
    // 违纪, 人证不符, 强制交卷 of the room: each becomes an incident for the province to review.
    const reviewed = manifest.incidents.filter((i) => REVIEWED_INCIDENT_ACTIONS.has(i.action));
    if (reviewed.length > 0) {
      const candidateOf = new Map(a.map((x) => [x.ticketNo, x.candidateId]));
      await em.query(
        `INSERT INTO result_incident (incident_id, package_id, session_id, venue_code, room_code, audit_id, kind, ticket_no, candidate_id, category, facts, evidence, recorded_by, recorded_at)
         SELECT $1 || '#' || x.id, $1, $2, $3, $4, x.id, x.kind, x.t, x.c, x.cat, x.facts, x.ev, x.actor, x.at
         FROM unnest($5::int[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::timestamptz[]) AS x(id, kind, t, c, cat, facts, ev, actor, at)`,
        [
          manifest.packageId, manifest.sessionId, manifest.venueCode, manifest.roomCode,
          reviewed.map((i) => i.auditId), reviewed.map((i) => REVIEWED_INCIDENT_ACTIONS.get(i.action)), reviewed.map((i) => i.ticketNo),
          reviewed.map((i) => (i.ticketNo ? (candidateOf.get(i.ticketNo) ?? null) : null)), reviewed.map((i) => i.category ?? null),
          reviewed.map((i) => i.reason), reviewed.map((i) => i.evidence ?? null), reviewed.map((i) => i.actor), reviewed.map((i) => i.at),
        ],
      );
    }
    await this.audit.record({ actor: `venue:${manifest.venueCode}`, action: 'result_package.accepted', subject: manifest.packageId, details: { attempts: a.length, answers: answersImported } }, em);
  }
}
