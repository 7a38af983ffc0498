import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { CreatePaper, Item, KeyRelease, PaperContent, Roster, VenuePackage, VenuePackageManifest, VenuePackageState, VenueStaffCredential } from '@kaowu/contracts';
import {
  canonicalJson,
  encryptBlob,
  fromBase64,
  newDataKey,
  openSealedDataKey,
  publicKeysOf,
  sealBlob,
  sealDataKey,
  sha256Hex,
  signDocument,
  SignedDocument,
  toBase64,
  utf8,
  wrapKey,
} from '@kaowu/crypto';
import { DomainError } from '@kaowu/server-kit';
import { returnedRows } from '@kaowu/persistence';
import { VenuePrincipal, assertOwnVenue } from '../auth/venue-credential';
import { PROVINCIAL_CONTEXT, ProvincialContext } from '../provincial-context';
import { ProvincialAuditLog } from '../store/audit-log';
import { SessionRow, allocatedRoster, registeredRoster } from './venue-roster-source';

/** A paper item as stored at the province (CreatePaper): choice items with keys, case items with a reference answer. */
type KeyedItem = CreatePaper['items'][number];

/**
 * 试卷与名单下发: builds, once per venue and session, the signed package the venue imports —
 * roster sealed to the venue, paper encrypted with a data key that is wrapped with a release
 * secret and then sealed to the venue, so the venue can read the paper only after release.
 */
type TechnicalContact = { name: string; role: 'chief' | 'technician' | 'lab-admin' };

/** What the province hands to the venue with a package: a proctor code per room, a code per 主考 / 技术负责人. */
export type PackageCredential =
  | { role: 'proctor'; roomCode: string; accessCode: string }
  | { role: VenueStaffCredential['role']; staffNo: string; name: string; accessCode: string };

/**
 * 主考 and 技术负责人 (机房管理员 sign in as technicians) from the venue's technical contacts; a venue
 * without contacts still gets one of each, so no venue is left without someone who can seal it.
 * Who is wanted now; the codes come from what was issued before (see `issueStaffCredentials`).
 */
function wantedStaff(venueCode: string, contacts: TechnicalContact[]): Omit<VenueStaffCredential, 'accessCode'>[] {
  const people = contacts.map((c) => ({ name: c.name, role: c.role === 'chief' ? ('chief' as const) : ('technician' as const) }));
  if (!people.some((p) => p.role === 'chief')) people.push({ name: '主考', role: 'chief' });
  if (!people.some((p) => p.role === 'technician')) people.push({ name: '技术负责人', role: 'technician' });
  const counters = { chief: 0, technician: 0 };
  return people.map((p) => ({ staffNo: `${venueCode}-${p.role === 'chief' ? 'ZK' : 'JS'}${String(++counters[p.role]).padStart(2, '0')}`, role: p.role, name: p.name }));
}

@Injectable()
export class VenuePackageExporter {
  constructor(
    @Inject(PROVINCIAL_CONTEXT) private readonly ctx: ProvincialContext,
    @Inject(ProvincialAuditLog) private readonly audit: ProvincialAuditLog,
  ) {}

  /**
   * 封包: build the venue's package from the roster as it stands, once. Freezing again answers with
   * the package frozen before (late registrations need a re-issue, which is logged with a reason).
   */
  async freeze(venueCode: string, sessionId: string, actor: string): Promise<VenuePackageState> {
    await this.build(venueCode, sessionId, actor, null);
    return this.state(venueCode, sessionId);
  }

  /** The frozen package for the venue's signed pull; the first pull is recorded. */
  async pull(venueCode: string, sessionId: string, actor: string): Promise<VenuePackage> {
    const ds = this.ctx.db.dataSource;
    const [row]: { package_id: string; package: VenuePackage; pulled_at: Date | null }[] = await ds.query('SELECT package_id, package, pulled_at FROM venue_package WHERE venue_code = $1 AND session_id = $2', [venueCode, sessionId]);
    if (!row)
      throw new DomainError('PACKAGE_NOT_FROZEN', `考点 ${venueCode} 本场次（${sessionId}）的考试包尚未封包，请联系省级考办`, `the package of venue ${venueCode} for session ${sessionId} is not frozen yet`, 'sessionId');
    if (!row.pulled_at)
      await ds.transaction(async (em) => {
        const updated = returnedRows(await em.query('UPDATE venue_package SET pulled_at = $2 WHERE package_id = $1 AND pulled_at IS NULL RETURNING package_id', [row.package_id, this.ctx.clock.now().toISOString()]));
        if (updated.length > 0) await this.audit.record({ actor, action: 'venue_package.pulled', subject: row.package_id }, em);
      });
    return row.package;
  }

  /**
   * 重新生成考试包: rebuild a frozen package with the venue's current key and roster — after a
   * venue key change, or when late registrations must reach the venue. The old package stops
   * being served. Proctor codes are new (the old ones went out with the old package); the 主考 and
   * 技术负责人 codes stay (issued per 工号).
   */
  async reissue(venueCode: string, sessionId: string, reason: string, actor: string): Promise<VenuePackageState> {
    const before = await this.state(venueCode, sessionId);
    await this.build(venueCode, sessionId, actor, { reason, previous: before });
    return this.state(venueCode, sessionId);
  }

  async state(venueCode: string, sessionId: string): Promise<VenuePackageState> {
    const [r]: { package_id: string; venue_key_id: string | null; created_at: Date; frozen_by: string; pulled_at: Date | null; reissue_count: number; candidate_count: number | null }[] = await this.ctx.db.dataSource.query(
      'SELECT package_id, venue_key_id, created_at, frozen_by, pulled_at, reissue_count, candidate_count FROM venue_package WHERE venue_code = $1 AND session_id = $2',
      [venueCode, sessionId],
    );
    if (!r) throw new DomainError('PACKAGE_NOT_FROZEN', `考点 ${venueCode} 本场次（${sessionId}）的考试包尚未封包`, `the package of venue ${venueCode} for session ${sessionId} is not frozen yet`, 'sessionId');
    return {
      packageId: r.package_id, venueCode, sessionId, venueKeyId: r.venue_key_id ?? '', candidates: Number(r.candidate_count ?? 0),
      frozenAt: new Date(r.created_at).toISOString(), frozenBy: r.frozen_by, pulledAt: r.pulled_at ? new Date(r.pulled_at).toISOString() : null, reissues: Number(r.reissue_count),
    };
  }

  private async build(venueCode: string, sessionId: string, actor: string, reissue: { reason: string; previous: VenuePackageState } | null): Promise<VenuePackage> {
    const ds = this.ctx.db.dataSource;
    const existing: { package: VenuePackage }[] = await ds.query('SELECT package FROM venue_package WHERE venue_code = $1 AND session_id = $2', [venueCode, sessionId]);
    if (existing.length > 0 && !reissue) return existing[0].package;

    const venues: { venue_code: string; name: string; rooms: Roster['rooms']; key_id: string | null; box_public_key: string | null; technical_contacts: TechnicalContact[] | null }[] = await ds.query(
      'SELECT * FROM venue WHERE venue_code = $1',
      [venueCode],
    );
    const venue = venues[0];
    if (!venue) throw new DomainError('NOT_FOUND', `考点 ${venueCode} 不存在`, `venue ${venueCode} not found`, 'venueCode');
    if (!venue.key_id || !venue.box_public_key) throw new DomainError('CONFLICT', `考点 ${venueCode} 尚未登记服务器公钥，无法生成考试包`, `venue ${venueCode} has no registered key`, 'venueCode');
    const sessions: SessionRow[] = await ds.query(
      'SELECT session_id, starts_at, release_at, paper_id, exam_code, sitting_code, batch_code, subject_code FROM exam_session WHERE session_id = $1',
      [sessionId],
    );
    const s = sessions[0];
    if (!s) throw new DomainError('NOT_FOUND', `场次 ${sessionId} 不存在`, `session ${sessionId} not found`, 'sessionId');
    const papers: { items: KeyedItem[] }[] = await ds.query('SELECT items FROM paper WHERE paper_id = $1', [s.paper_id]);
    // A session of the exam plan seats whom the allocation placed; a skeleton session, the candidate table.
    const { schedule, candidates } = s.sitting_code ? await allocatedRoster(ds, s, venueCode) : await registeredRoster(ds, s, venueCode);
    const proctorCodes = venue.rooms.map((r) => ({ roomCode: r.roomCode, accessCode: randomBytes(6).toString('hex') }));
    const staff = await this.issueStaffCredentials(venueCode, venue.technical_contacts ?? []);
    const credentials: PackageCredential[] = [...proctorCodes.map((c) => ({ role: 'proctor' as const, ...c })), ...staff];
    const roster: Roster = {
      format: 'kaowu.roster',
      version: 1,
      venueCode,
      venueName: venue.name,
      rooms: venue.rooms,
      session: schedule,
      candidates,
      proctorCodes,
      staff,
    };
    // The paper without its keys: answer keys never leave the province.
    const items: Item[] = papers[0].items.map((it, i): Item => {
      const base = { itemId: it.itemId, no: i + 1, stem: it.stem, score: it.score };
      return it.type === 'calculation' || it.type === 'comprehensive'
        ? { ...base, type: it.type, material: it.material, requirements: it.requirements }
        : { ...base, type: it.type, options: it.options };
    });
    const paper: PaperContent = { format: 'kaowu.paper', version: 1, paperId: s.paper_id, subjectName: schedule.subjectName, items };

    const sealedRoster = sealBlob(utf8(canonicalJson(roster)), venue.box_public_key);
    const paperKey = newDataKey();
    const paperCt = encryptBlob(utf8(canonicalJson(paper)), paperKey);
    const releaseSecret = newDataKey();
    const manifest: VenuePackageManifest = {
      format: 'kaowu.venue-package',
      version: 1,
      packageId: `${venueCode}-${sessionId}`,
      venueCode,
      venueKeyId: venue.key_id,
      sessionId,
      paperId: s.paper_id,
      releaseAt: new Date(s.release_at).toISOString(),
      createdAt: this.ctx.clock.now().toISOString(),
      roster: { sealedKey: sealedRoster.sealedKey, sha256: sha256Hex(sealedRoster.ciphertext), bytes: sealedRoster.ciphertext.length },
      paper: { wrappedSealedKey: toBase64(wrapKey(fromBase64(sealDataKey(paperKey, venue.box_public_key)), releaseSecret)), sha256: sha256Hex(paperCt), bytes: paperCt.length },
      province: publicKeysOf(this.ctx.keys),
    };
    const pkg: VenuePackage = { manifest: signDocument(manifest, this.ctx.keys), roster: toBase64(sealedRoster.ciphertext), paper: toBase64(paperCt) };
    const sittingDetails = s.sitting_code ? { sittingCode: s.sitting_code, batchCode: s.batch_code, subjectCode: s.subject_code } : {};
    await ds.transaction(async (em) => {
      // The release secret rests sealed to the province's own key: a database dump alone cannot unlock a paper.
      const releaseSealed = sealDataKey(releaseSecret, this.ctx.keys.box.publicKey);
      if (reissue) {
        await em.query(
          `UPDATE venue_package SET package = $2, release_secret_sealed = $3, credentials = $4, created_at = $5, frozen_by = $6, pulled_at = NULL, reissue_count = reissue_count + 1, venue_key_id = $7, candidate_count = $8
           WHERE package_id = $1`,
          [manifest.packageId, JSON.stringify(pkg), releaseSealed, JSON.stringify(credentials), manifest.createdAt, actor, venue.key_id, candidates.length],
        );
        await this.audit.record({ actor, action: 'venue_package.reissued', subject: manifest.packageId, reason: reissue.reason, details: { candidates: candidates.length, venueKeyId: venue.key_id, previousVenueKeyId: reissue.previous.venueKeyId, previousPulledAt: reissue.previous.pulledAt, ...sittingDetails } }, em);
      } else {
        await em.query(
          'INSERT INTO venue_package (package_id, venue_code, session_id, package, release_secret_sealed, credentials, created_at, frozen_by, venue_key_id, candidate_count) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)',
          [manifest.packageId, venueCode, sessionId, JSON.stringify(pkg), releaseSealed, JSON.stringify(credentials), manifest.createdAt, actor, venue.key_id, candidates.length],
        );
        await this.audit.record({ actor, action: 'venue_package.exported', subject: manifest.packageId, details: { candidates: candidates.length, venueKeyId: venue.key_id, ...sittingDetails } }, em);
      }
    });
    return pkg;
  }

  /**
   * The venue's 主考 / 技术负责人 credentials: a code is issued once per 工号 and kept, so every
   * package of the venue (each session) carries the same ones; a renamed contact keeps the code.
   */
  private async issueStaffCredentials(venueCode: string, contacts: TechnicalContact[]): Promise<VenueStaffCredential[]> {
    const ds = this.ctx.db.dataSource;
    const issued: { staff_no: string; access_code: string }[] = await ds.query('SELECT staff_no, access_code FROM venue_staff_credential WHERE venue_code = $1', [venueCode]);
    const codeOf = new Map(issued.map((r) => [r.staff_no, r.access_code]));
    const staff = wantedStaff(venueCode, contacts).map((m) => ({ ...m, accessCode: codeOf.get(m.staffNo) ?? randomBytes(6).toString('hex') }));
    const now = this.ctx.clock.now().toISOString();
    for (const m of staff)
      await ds.query(
        `INSERT INTO venue_staff_credential (staff_no, venue_code, role, name, access_code, issued_at) VALUES ($1,$2,$3,$4,$5,$6)
         ON CONFLICT (staff_no) DO UPDATE SET role = EXCLUDED.role, name = EXCLUDED.name`,
        [m.staffNo, venueCode, m.role, m.name, m.accessCode, now],
      );
    return staff;
  }

  /** 监考口令 per room and the 主考 / 技术负责人 sign-in codes of a package, for the province to hand to the venue. */
  async credentials(venueCode: string, sessionId: string): Promise<PackageCredential[]> {
    const rows: { credentials: PackageCredential[] }[] = await this.ctx.db.dataSource.query(
      'SELECT credentials FROM venue_package WHERE venue_code = $1 AND session_id = $2',
      [venueCode, sessionId],
    );
    if (rows.length === 0) throw new DomainError('NOT_FOUND', '该考点本场次的考试包尚未生成', 'package not exported yet', 'sessionId');
    return rows[0].credentials;
  }

  /** 试卷密钥发布: the signed release secret, only from the release time on. */
  async keyRelease(packageId: string, venue: VenuePrincipal): Promise<SignedDocument<KeyRelease>> {
    const rows: { venue_code: string; release_secret_sealed: string; release_at: Date; paper_id: string }[] = await this.ctx.db.dataSource.query(
      'SELECT p.venue_code, p.release_secret_sealed, s.release_at, s.paper_id FROM venue_package p JOIN exam_session s ON s.session_id = p.session_id WHERE p.package_id = $1',
      [packageId],
    );
    const row = rows[0];
    if (!row) throw new DomainError('NOT_FOUND', `考试包 ${packageId} 不存在`, `package ${packageId} not found`, 'packageId');
    assertOwnVenue(venue, row.venue_code, 'packageId');
    const releaseAt = new Date(row.release_at);
    if (this.ctx.clock.now() < releaseAt)
      throw new DomainError('PACKAGE_NOT_RELEASED', `试卷密钥将于 ${releaseAt.toISOString()} 发布`, `the paper key is released at ${releaseAt.toISOString()}`, 'packageId', { releaseAt: releaseAt.toISOString() });
    const secret = openSealedDataKey(row.release_secret_sealed, this.ctx.keys);
    return signDocument<KeyRelease>(
      { format: 'kaowu.key-release', version: 1, packageId, paperId: row.paper_id, releaseSecret: toBase64(secret), releasedAt: releaseAt.toISOString() },
      this.ctx.keys,
    );
  }
}
