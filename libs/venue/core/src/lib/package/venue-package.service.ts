import { Inject, Injectable } from '@nestjs/common';
import { KeyRelease, PaperContent, Roster, SessionSchedule, SignedKeyRelease, VenuePackage, VenuePackageManifest, VenuePackageStatus } from '@kaowu/contracts';
import {
  CryptoError,
  decryptBlob,
  fromBase64,
  fromUtf8,
  keyFingerprint,
  openBlob,
  openSealedDataKey,
  sha256Hex,
  toBase64,
  unwrapKey,
  verifyDocument,
} from '@kaowu/crypto';
import { DomainError, parseInput } from '@kaowu/server-kit';
import { randomBytes } from 'node:crypto';
import { VENUE_CONTEXT, VenueContext } from '../venue-context';
import { provinceFetch } from './province-client';
import { hashAccessCode } from '../staff/access-code-hash';
import { AuditLog } from '../store/audit-log';

export interface ReleasedPaper {
  packageId: string;
  sessionId: string;
  paper: PaperContent;
  itemIds: Set<string>;
}

/** A roster row's key at the venue: the province's candidate id within its session (a candidate sits several sessions). */
export const rosterKey = (sessionId: string, candidateId: string) => `${sessionId}/${candidateId}`;


/**
 * 试卷接收与解密: imports the province's signed, encrypted venue package (roster and paper),
 * then, at release time, pulls the signed key release and decrypts the paper. Until then the
 * paper exists at the venue only as ciphertext.
 */
@Injectable()
export class VenuePackageService {
  private released = new Map<string, ReleasedPaper>(); // sessionId → paper
  private lastPull = 0;

  constructor(
    @Inject(VENUE_CONTEXT) private readonly ctx: VenueContext,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  private verifyManifest(pkg: VenuePackage): VenuePackageManifest {
    try {
      return verifyDocument(pkg.manifest, this.ctx.province);
    } catch (error) {
      if (error instanceof CryptoError && error.code === 'UNKNOWN_SIGNER')
        throw new DomainError('PACKAGE_UNKNOWN_SIGNER', '考试包不是由本省考试管理机构签发的', 'package not signed by the pinned provincial key', 'manifest.signature.keyId');
      throw new DomainError('PACKAGE_SIGNATURE_INVALID', '考试包签名校验失败，可能已被篡改', 'package signature does not verify', 'manifest.signature');
    }
  }

  async importPackage(input: unknown, actor: string): Promise<{ packageId: string; sessionId: string; candidates: number; rooms: number; provinceFingerprint: string; venueFingerprint: string }> {
    const pkg = parseInput(VenuePackage, input, '考试包');
    const manifest = this.verifyManifest(pkg);
    if (manifest.venueCode !== this.ctx.config.VENUE_CODE)
      throw new DomainError('FORBIDDEN', `该考试包属于考点 ${manifest.venueCode}，不是本考点`, `package is for venue ${manifest.venueCode}`, 'manifest.venueCode');
    if (manifest.venueKeyId !== this.ctx.keys.keyId)
      throw new DomainError('FORBIDDEN', '该考试包不是为本考点服务器密钥生成的', 'package sealed to another venue key', 'manifest.venueKeyId');
    const rosterCt = fromBase64(pkg.roster);
    const paperCt = fromBase64(pkg.paper);
    if (sha256Hex(rosterCt) !== manifest.roster.sha256 || sha256Hex(paperCt) !== manifest.paper.sha256)
      throw new DomainError('PACKAGE_TAMPERED', '考试包内容与清单不符，可能已被篡改或损坏', 'package content does not match its manifest', 'roster');
    let roster: Roster;
    try {
      roster = parseInput(Roster, JSON.parse(fromUtf8(openBlob(manifest.roster.sealedKey, rosterCt, this.ctx.keys))), '考生名单');
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw new DomainError('PACKAGE_TAMPERED', '考生名单无法解密', 'roster cannot be decrypted', 'roster');
    }
    if (roster.session.sessionId !== manifest.sessionId) throw new DomainError('PACKAGE_WRONG_SESSION', '名单场次与清单不一致', 'roster session differs from manifest', 'roster.session');

    const ds = this.ctx.db.dataSource;
    const existing: { package_id: string }[] = await ds.query('SELECT package_id FROM venue_package WHERE package_id = $1', [manifest.packageId]);
    if (existing.length > 0) return { packageId: manifest.packageId, sessionId: manifest.sessionId, candidates: roster.candidates.length, rooms: roster.rooms.length, ...this.fingerprints() };

    const now = this.ctx.clock.now().toISOString();
    // salted scrypt hashes of the codes, computed before the transaction (tens of ms each, off the event loop)
    const roomHashes = new Map(await Promise.all(roster.rooms.map(async (room) => [room.roomCode, await hashAccessCode(roster.proctorCodes.find((p) => p.roomCode === room.roomCode)?.accessCode ?? cryptoRandom())] as const)));
    const staffHashes = new Map(await Promise.all(roster.staff.map(async (m) => [m.staffNo, await hashAccessCode(m.accessCode)] as const)));
    await ds.transaction(async (em) => {
      await em.query('INSERT INTO venue_package (package_id, session_id, manifest, paper_ciphertext, imported_at, venue_name) VALUES ($1,$2,$3,$4,$5,$6)', [
        manifest.packageId,
        manifest.sessionId,
        JSON.stringify(pkg.manifest),
        Buffer.from(paperCt),
        now,
        roster.venueName,
      ]);
      await em.query('INSERT INTO exam_session (session_id, package_id, schedule) VALUES ($1,$2,$3)', [manifest.sessionId, manifest.packageId, JSON.stringify(roster.session)]);
      for (const room of roster.rooms) {
        const access = roomHashes.get(room.roomCode)!;
        await em.query(
          `INSERT INTO room (room_code, name, seats, access_code_hash) VALUES ($1,$2,$3,$4)
           ON CONFLICT (room_code) DO UPDATE SET name = EXCLUDED.name, seats = EXCLUDED.seats`,
          [room.roomCode, room.name, JSON.stringify(room.seats), access],
        );
        // 监考口令 per session: importing tomorrow's package leaves today's codes as they were
        await em.query('INSERT INTO room_access (session_id, room_code, access_code_hash) VALUES ($1,$2,$3)', [manifest.sessionId, room.roomCode, access]);
      }
      for (const member of roster.staff)
        await em.query(
          `INSERT INTO venue_staff (staff_no, role, name, access_code_hash) VALUES ($1,$2,$3,$4)
           ON CONFLICT (staff_no) DO UPDATE SET role = EXCLUDED.role, name = EXCLUDED.name, access_code_hash = EXCLUDED.access_code_hash`,
          [member.staffNo, member.role, member.name, staffHashes.get(member.staffNo)],
        );
      const c = roster.candidates;
      if (c.length > 0)
        await em.query(
          `INSERT INTO candidate (candidate_id, ticket_no, id_no, name, gender, room_code, seat_no, photo_media_type, photo_data, registrant_id, session_id)
           SELECT u.*, $11::text FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[], $9::text[], $10::text[]) AS u`,
          [
            c.map((x) => rosterKey(manifest.sessionId, x.candidateId)),
            c.map((x) => x.ticketNo),
            c.map((x) => x.idNo),
            c.map((x) => x.name),
            c.map((x) => x.gender),
            c.map((x) => x.roomCode),
            c.map((x) => x.seatNo),
            c.map((x) => x.photo?.mediaType ?? null),
            c.map((x) => x.photo?.data ?? null),
            c.map((x) => x.candidateId),
            manifest.sessionId,
          ],
        );
    });
    await this.audit.record({ actor, action: 'package.imported', subject: manifest.packageId, details: { sessionId: manifest.sessionId, candidates: roster.candidates.length } });
    this.ctx.logger.info({ packageId: manifest.packageId, candidates: roster.candidates.length }, 'venue package imported');
    return {
      packageId: manifest.packageId, sessionId: manifest.sessionId, candidates: roster.candidates.length, rooms: roster.rooms.length,
      ...this.fingerprints(),
    };
  }

  /** Read aloud with the province: the key that signs the packages, and the key they are sealed to. */
  private fingerprints() {
    return {
      provinceFingerprint: keyFingerprint(this.ctx.province),
      venueFingerprint: keyFingerprint({ signingPublicKey: toBase64(this.ctx.keys.signing.publicKey), boxPublicKey: toBase64(this.ctx.keys.box.publicKey) }),
    };
  }

  /** Pull the package for a session from the province and import it. */
  async pullPackage(sessionId: string, actor: string) {
    const res = await provinceFetch(this.ctx, 'GET', `/api/v1/venue-packages/${encodeURIComponent(this.ctx.config.VENUE_CODE)}/${encodeURIComponent(sessionId)}`);
    if (!res.ok) {
      // The province's refusal, as worded (not frozen yet, wrong key, …), so the technician knows whom to call.
      const refusal = (await res.json().catch(() => null)) as { code?: string; message?: string; messageEn?: string } | null;
      throw new DomainError('NOT_FOUND', `无法从省级服务器下载考试包：${refusal?.message ?? `HTTP ${res.status}`}`, `the province refused the package download: ${refusal?.messageEn ?? `HTTP ${res.status}`}`, 'sessionId', { status: res.status, provinceCode: refusal?.code ?? null });
    }
    return this.importPackage(await res.json(), actor);
  }

  /** 考试包与试卷: every imported package, its session and whether its paper is unlocked. */
  async packageStatus(): Promise<VenuePackageStatus[]> {
    const rows: { package_id: string; session_id: string; manifest: { body: VenuePackageManifest }; imported_at: Date; released_at: Date | null; schedule: SessionSchedule; candidates: string; rooms: string }[] =
      await this.ctx.db.dataSource.query(
        `SELECT p.package_id, p.session_id, p.manifest, p.imported_at, p.released_at, s.schedule,
           (SELECT count(*) FROM candidate c WHERE c.session_id = p.session_id) AS candidates,
           (SELECT count(DISTINCT c.room_code) FROM candidate c WHERE c.session_id = p.session_id) AS rooms
         FROM venue_package p JOIN exam_session s ON s.session_id = p.session_id ORDER BY p.imported_at DESC`,
      );
    return rows.map((r) => ({
      packageId: r.package_id,
      sessionId: r.session_id,
      examName: r.schedule.examName,
      subjectName: r.schedule.subjectName,
      startsAt: r.schedule.startsAt,
      releaseAt: r.manifest.body.releaseAt,
      importedAt: new Date(r.imported_at).toISOString(),
      candidates: Number(r.candidates),
      rooms: Number(r.rooms),
      paperReleased: this.released.has(r.session_id) || r.released_at !== null,
      releasedAt: r.released_at ? new Date(r.released_at).toISOString() : null,
    }));
  }

  /** 考点名称 from the latest imported roster (the venue code until a package is imported). */
  async venueName(): Promise<string> {
    const rows: { venue_name: string | null }[] = await this.ctx.db.dataSource.query('SELECT venue_name FROM venue_package ORDER BY imported_at DESC LIMIT 1');
    return rows[0]?.venue_name ?? this.ctx.config.VENUE_CODE;
  }

  paperFor(sessionId: string): ReleasedPaper | undefined {
    return this.released.get(sessionId);
  }

  /** Called on every tick: after releaseAt, pull and apply the key release (at most every 2 s). */
  async ensureReleased(): Promise<void> {
    const ds = this.ctx.db.dataSource;
    const sessions: { n: string }[] = await ds.query('SELECT count(*) AS n FROM venue_package');
    if (Number(sessions[0].n) === this.released.size) return; // every paper is open already
    const rows: { package_id: string; session_id: string; manifest: { body: VenuePackageManifest }; release_secret: string | null }[] = await ds.query(
      'SELECT package_id, session_id, manifest, release_secret FROM venue_package',
    );
    const now = this.ctx.clock.now();
    for (const row of rows) {
      if (this.released.has(row.session_id)) continue;
      const manifest = row.manifest.body;
      if (row.release_secret) {
        await this.decryptPaper(row.session_id, manifest, row.release_secret);
        continue;
      }
      if (now < new Date(manifest.releaseAt) || Date.now() - this.lastPull < 2000) continue;
      this.lastPull = Date.now();
      try {
        const res = await provinceFetch(this.ctx, 'GET', `/api/v1/key-releases/${encodeURIComponent(manifest.packageId)}`);
        if (!res.ok) {
          this.ctx.logger.warn({ status: res.status, packageId: manifest.packageId }, 'paper key not yet released');
          continue;
        }
        const signedRelease = parseInput(SignedKeyRelease, await res.json(), '试卷密钥');
        const release: KeyRelease = verifyDocument(signedRelease, this.ctx.province);
        if (release.packageId !== manifest.packageId) throw new DomainError('PACKAGE_WRONG_SESSION', '密钥与考试包不匹配', 'key release is for another package');
        await this.decryptPaper(row.session_id, manifest, release.releaseSecret);
        await ds.query('UPDATE venue_package SET release_secret = $2, released_at = $3 WHERE package_id = $1 AND release_secret IS NULL', [
          manifest.packageId,
          release.releaseSecret,
          now.toISOString(),
        ]);
        await this.audit.record({ actor: 'system', action: 'paper.released', subject: manifest.packageId, details: { releasedAt: release.releasedAt } });
        this.ctx.logger.info({ packageId: manifest.packageId }, 'paper released and decrypted');
      } catch (error) {
        this.ctx.logger.error({ err: error, packageId: manifest.packageId }, 'paper release failed');
      }
    }
  }

  private async decryptPaper(sessionId: string, manifest: VenuePackageManifest, releaseSecretB64: string): Promise<void> {
    const rows: { paper_ciphertext: Buffer }[] = await this.ctx.db.dataSource.query('SELECT paper_ciphertext FROM venue_package WHERE package_id = $1', [manifest.packageId]);
    const ciphertext = rows[0].paper_ciphertext;
    const sealed = unwrapKey(fromBase64(manifest.paper.wrappedSealedKey), fromBase64(releaseSecretB64));
    const dataKey = openSealedDataKey(toBase64(sealed), this.ctx.keys);
    const plain = decryptBlob(new Uint8Array(ciphertext), dataKey);
    const paper = parseInput(PaperContent, JSON.parse(fromUtf8(plain)), '试卷');
    this.released.set(sessionId, { packageId: manifest.packageId, sessionId, paper, itemIds: new Set(paper.items.map((i) => i.itemId)) });
  }
}

/** A room without a proctor code in the package gets an unguessable one (nobody can join it). */
function cryptoRandom(): string {
  return randomBytes(32).toString('hex');
}
