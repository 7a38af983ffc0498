import type { AttemptResult, ResultManifest, ResultPackage, ResultPayload, RoomIncident } from '@kaowu/contracts';
import { CHAIN_GENESIS, PartyKeys, canonicalJson, sealBlob, sha256Hex, signDocument, toBase64, utf8 } from '@kaowu/crypto';
import { attemptChainHead, finalAnswers, finalAnswersDigest } from '@kaowu/exam-domain';

export interface RoomPackageSpec {
  venueKeys: PartyKeys;
  /** The province's box public key: the payload is sealed to it. */
  provinceBoxPublicKey: Uint8Array;
  venueCode: string;
  roomCode: string;
  sessionId: string;
  paperId: string;
  closedAt: string;
  attempts: AttemptResult[];
  incidents?: Omit<RoomIncident, 'auditHash'>[];
}

/**
 * A room result package exactly as a venue seals one (manifest derived from the attempts,
 * payload sealed to the province, manifest signed by the venue key) — for tests that need many
 * rooms and sessions at the province without running a venue for each.
 */
export function buildRoomPackage(s: RoomPackageSpec): ResultPackage {
  const payload: ResultPayload = { format: 'kaowu.result-payload', version: 1, attempts: s.attempts };
  const plain = utf8(canonicalJson(payload));
  const sealed = sealBlob(plain, s.provinceBoxPublicKey);
  const incidents: RoomIncident[] = (s.incidents ?? []).map((i) => ({ ...i, auditHash: sha256Hex(`${s.venueCode}/${i.auditId}`) }));
  const manifest: ResultManifest = {
    format: 'kaowu.result-package',
    version: 2,
    packageId: `${s.venueCode}-${s.sessionId}-${s.roomCode}`,
    venueCode: s.venueCode,
    venueKeyId: s.venueKeys.keyId,
    roomCode: s.roomCode,
    sessionId: s.sessionId,
    paperId: s.paperId,
    closedAt: s.closedAt,
    expectedCandidates: s.attempts.length,
    presentCandidates: s.attempts.filter((a) => a.status !== 'absent').length,
    attempts: s.attempts.map((a) => ({
      attemptId: a.attemptId,
      ticketNo: a.ticketNo,
      status: a.status,
      answerCount: a.events.length,
      lastSeq: a.events.at(-1)?.seq ?? 0,
      chainHead: attemptChainHead(a.events),
      finalAnswersSha256: finalAnswersDigest(finalAnswers(a.events)),
    })),
    incidents,
    auditHead: incidents.length ? { auditId: incidents[incidents.length - 1].auditId, hash: incidents[incidents.length - 1].auditHash } : { auditId: 0, hash: CHAIN_GENESIS },
    payload: { sha256: sha256Hex(plain), bytes: plain.length },
  };
  return {
    manifest: signDocument(manifest, s.venueKeys),
    envelope: { sealedKey: sealed.sealedKey, sha256: sha256Hex(sealed.ciphertext), bytes: sealed.ciphertext.length },
    payload: toBase64(sealed.ciphertext),
  };
}
