import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { ImportFormat, ImportOptions, PhotoImportResult, RegistrationImportResult, RowError } from '@kaowu/contracts';
import { DomainError, parseInput } from '@kaowu/server-kit';
import { PROVINCIAL_CONTEXT, ProvincialContext } from '../provincial-context';
import { ProvincialAuditLog } from '../store/audit-log';
import { parseRegistrationFile } from './registration-file-parser';
import { RegistrationLookups, RegistrationRow, validateRegistrationRows } from './registration-rows';
import { checkPhotoArchive, photoError } from './photo-archive';
import { ROSTER_PHOTO_MAX_BYTES } from '@kaowu/planning-domain';

/** Rows per INSERT: large enough to amortise round trips, small enough for one statement's arrays. */
const BATCH = 5000;
/** Errors carried in one response; the count says how many there were. */
const MAX_ERRORS_RETURNED = 1000;

/** 报名: registrants of a sitting from XLSX/CSV, photos from a ZIP; all or nothing unless the clerk says otherwise. */
@Injectable()
export class RegistrationService {
  constructor(
    @Inject(PROVINCIAL_CONTEXT) private readonly ctx: ProvincialContext,
    @Inject(ProvincialAuditLog) private readonly audit: ProvincialAuditLog,
  ) {}

  private get ds() {
    return this.ctx.db.dataSource;
  }

  async importRegistrants(sittingCode: string, file: Buffer, query: unknown, actor: string): Promise<RegistrationImportResult> {
    const options = parseInput(ImportOptions, query ?? {}, '导入参数');
    const lookups = await this.lookups(sittingCode);
    const format: ImportFormat = options.format ?? (file[0] === 0x50 && file[1] === 0x4b ? 'xlsx' : 'csv');
    const raw = parseRegistrationFile(file, format);
    if (raw.length === 0) throw new DomainError('VALIDATION_FAILED', '报名文件没有考生数据行', 'the file has no candidate rows', 'file');
    const { valid, errors } = validateRegistrationRows(raw, lookups);
    const badRows = new Set(errors.map((e) => e.row)).size;
    if (errors.length > 0 && !options.importCleanRowsOnly) throw importRejected(raw.length, badRows, errors);

    const sha256 = createHash('sha256').update(file).digest('hex');
    const { created, updated } = await this.ds.transaction(async (em) => {
      const counts = await this.upsertRegistrants(em, sittingCode, valid);
      await this.audit.record(
        { actor, action: 'registration.imported', subject: sittingCode, details: { format, sha256, rows: raw.length, created: counts.created, updated: counts.updated, skipped: badRows } },
        em,
      );
      return counts;
    });
    return { sittingCode, rows: raw.length, imported: valid.length, created, updated, skipped: badRows, errors: errors.slice(0, MAX_ERRORS_RETURNED) };
  }

  async importPhotos(sittingCode: string, zip: Buffer, query: unknown, actor: string): Promise<PhotoImportResult> {
    const options = parseInput(ImportOptions, query ?? {}, '导入参数');
    await this.lookups(sittingCode);
    const { photos, errors, files } = checkPhotoArchive(zip);
    const ids: { id_no: string; registrant_id: string }[] = photos.length
      ? await this.ds.query('SELECT id_no, registrant_id::text FROM registrant WHERE sitting_code = $1 AND id_no = ANY($2::text[])', [sittingCode, photos.map((p) => p.idNo)])
      : [];
    const registrantOf = new Map(ids.map((r) => [r.id_no, r.registrant_id]));
    const matched = photos.filter((p) => {
      if (registrantOf.has(p.idNo)) return true;
      errors.push({ file: p.file, code: 'PHOTO_NO_REGISTRANT', message: `${p.file}：没有证件号码为 ${p.idNo} 的报名考生`, messageEn: `${p.file}: no registrant with ID number ${p.idNo}` });
      return false;
    });
    errors.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    if (errors.length > 0 && !options.importCleanRowsOnly)
      throw new DomainError('IMPORT_HAS_ERRORS', `照片包有 ${errors.length} 个文件不合格，未导入任何照片；请改正后重新导入，或选择只导入合格照片`, `${errors.length} photo files have errors; nothing was imported`, 'file', {
        errors: errors.slice(0, MAX_ERRORS_RETURNED),
        errorCount: errors.length,
        files,
      });
    const warnings = matched.filter((p) => p.data.length > ROSTER_PHOTO_MAX_BYTES).map((p) => photoError(p.file, 'PHOTO_OVER_ROSTER_LIMIT'));
    const now = this.ctx.clock.now().toISOString();
    await this.ds.transaction(async (em) => {
      for (let i = 0; i < matched.length; i += 500) {
        const chunk = matched.slice(i, i + 500);
        await em.query(
          `INSERT INTO registrant_photo (registrant_id, format, width, height, bytes, sha256, data, imported_at)
           SELECT r::uuid, f, w, h, b, s, decode(d, 'base64'), $8 FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::int[], $6::text[], $7::text[]) AS t(r, f, w, h, b, s, d)
           ON CONFLICT (registrant_id) DO UPDATE SET format = EXCLUDED.format, width = EXCLUDED.width, height = EXCLUDED.height, bytes = EXCLUDED.bytes,
             sha256 = EXCLUDED.sha256, data = EXCLUDED.data, imported_at = EXCLUDED.imported_at`,
          [
            chunk.map((p) => registrantOf.get(p.idNo)), chunk.map((p) => p.format), chunk.map((p) => p.width), chunk.map((p) => p.height),
            chunk.map((p) => p.data.length), chunk.map((p) => p.sha256), chunk.map((p) => Buffer.from(p.data).toString('base64')), now,
          ],
        );
      }
      await this.audit.record({ actor, action: 'registration.photos_imported', subject: sittingCode, details: { files, imported: matched.length, skipped: errors.length, overRosterLimit: warnings.length } }, em);
    });
    return { sittingCode, files, imported: matched.length, skipped: errors.length, errors: errors.slice(0, MAX_ERRORS_RETURNED), warnings: warnings.slice(0, MAX_ERRORS_RETURNED) };
  }

  /** One page of registrants, with their subjects and whether a photo is on file. */
  async listRegistrants(sittingCode: string, opts: { page?: number; pageSize?: number; regionCode?: string; idNo?: string }) {
    const pageSize = Math.min(Math.max(opts.pageSize ?? 50, 1), 500);
    const page = Math.max(opts.page ?? 1, 1);
    const where = 'r.sitting_code = $1 AND ($2::text IS NULL OR r.region_code = $2) AND ($3::text IS NULL OR r.id_no = $3)';
    const params = [sittingCode, opts.regionCode ?? null, opts.idNo?.toUpperCase() ?? null];
    const [{ total }] = await this.ds.query(`SELECT count(*)::int AS total FROM registrant r WHERE ${where}`, params);
    const rows: { id_type: string; id_no: string; name: string; gender: string; region_code: string; phone: string; ticket_no: string | null; subjects: string[]; has_photo: boolean }[] =
      await this.ds.query(
        `SELECT r.id_type, r.id_no, r.name, r.gender, r.region_code, r.phone, a.ticket_no, r.subjects,
           EXISTS (SELECT 1 FROM registrant_photo p WHERE p.registrant_id = r.registrant_id) AS has_photo
         FROM registrant r LEFT JOIN seat_allocation a ON a.sitting_code = r.sitting_code AND a.registrant_id = r.registrant_id
         WHERE ${where} ORDER BY r.id_no LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
        params,
      );
    return {
      total,
      page,
      pageSize,
      registrants: rows.map((r) => ({ idType: r.id_type, idNo: r.id_no, name: r.name, gender: r.gender, regionCode: r.region_code, phone: r.phone, ticketNo: r.ticket_no, subjects: r.subjects, hasPhoto: r.has_photo })),
    };
  }

  private async lookups(sittingCode: string): Promise<RegistrationLookups> {
    const [sitting] = await this.ds.query('SELECT 1 FROM sitting WHERE sitting_code = $1', [sittingCode]);
    if (!sitting) throw new DomainError('NOT_FOUND', `考试计划 ${sittingCode} 不存在`, `sitting ${sittingCode} not found`, 'sittingCode');
    const regions: { region_code: string; name: string }[] = await this.ds.query('SELECT region_code, name FROM region');
    const subjects: { subject_code: string; subject_name: string }[] = await this.ds.query('SELECT subject_code, subject_name FROM sitting_subject WHERE sitting_code = $1 ORDER BY seq', [sittingCode]);
    return {
      regions: new Map(regions.flatMap((r) => [[r.region_code, r.region_code], [r.name, r.region_code]] as const)),
      subjects: new Map(subjects.flatMap((s) => [[s.subject_code, s.subject_code], [s.subject_name, s.subject_code]] as const)),
      subjectOrder: subjects.map((s) => s.subject_code),
      today: this.ctx.clock.now().toISOString().slice(0, 10),
    };
  }

  /** Upsert keyed by (sitting, ID number): a re-import updates, never duplicates. */
  private async upsertRegistrants(em: EntityManager, sittingCode: string, rows: RegistrationRow[]): Promise<{ created: number; updated: number }> {
    const now = this.ctx.clock.now().toISOString();
    let created = 0;
    for (let i = 0; i < rows.length; i += BATCH) {
      const chunk = rows.slice(i, i + BATCH);
      // Subjects travel as one '{A,B}' array literal per row (codes are [A-Za-z0-9_-], no quoting needed).
      const saved: { created: boolean }[] = await em.query(
        `INSERT INTO registrant (registrant_id, sitting_code, id_type, id_no, name, gender, region_code, phone, subjects, created_at, updated_at)
         SELECT gen_random_uuid(), $1, t, n, m, g, r, p, s::text[], $9, $9 FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS u(t, n, m, g, r, p, s)
         ON CONFLICT (sitting_code, id_no) DO UPDATE SET id_type = EXCLUDED.id_type, name = EXCLUDED.name, gender = EXCLUDED.gender,
           region_code = EXCLUDED.region_code, phone = EXCLUDED.phone, subjects = EXCLUDED.subjects, updated_at = EXCLUDED.updated_at
         RETURNING (xmax = 0) AS created`,
        [
          sittingCode, chunk.map((r) => r.idType), chunk.map((r) => r.idNo), chunk.map((r) => r.name), chunk.map((r) => r.gender),
          chunk.map((r) => r.regionCode), chunk.map((r) => r.phone), chunk.map((r) => `{${r.subjects.join(',')}}`), now,
        ],
      );
      for (const s of saved) if (s.created) created++;
    }
    return { created, updated: rows.length - created };
  }
}

function importRejected(rows: number, badRows: number, errors: RowError[]): DomainError {
  return new DomainError(
    'IMPORT_HAS_ERRORS',
    `报名文件有 ${badRows} 行数据有误（共 ${errors.length} 处），未导入任何考生；请改正后重新导入，或选择只导入无误的行`,
    `${badRows} rows have errors (${errors.length} in all); nothing was imported. Fix them and import again, or import the clean rows only`,
    'file',
    { errors: errors.slice(0, MAX_ERRORS_RETURNED), errorCount: errors.length, rows, badRows },
  );
}
