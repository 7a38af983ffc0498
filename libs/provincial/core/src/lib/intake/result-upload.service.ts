import { Inject, Injectable } from '@nestjs/common';
import { ErrorBody, OpenResultUpload, ResultUploadState, ResultUploadStatus, SignedReceipt } from '@kaowu/contracts';
import { fromUtf8, sha256Hex } from '@kaowu/crypto';
import { DomainError, parseInput } from '@kaowu/server-kit';
import type { EntityManager } from 'typeorm';
import { PROVINCIAL_CONTEXT, ProvincialContext } from '../provincial-context';
import { ProvincialAuditLog } from '../store/audit-log';
import { ResultIntakeService, refuse } from './result-intake.service';

/** The largest chunk the province stages at once. */
export const MAX_CHUNK_BYTES = 8 * 1024 * 1024;

interface UploadRow {
  upload_id: string;
  package_id: string;
  venue_code: string;
  total_bytes: string;
  sha256: string;
  confirmed_bytes: string;
  state: ResultUploadState;
  receipt: SignedReceipt | null;
}

/**
 * 分片断点续传: a room package arrives in offset-addressed chunks, each checked against its
 * SHA-256 and staged in the database; the province confirms the bytes it holds, so an
 * interrupted upload continues from the last confirmed chunk. Completing the upload checks the
 * whole file against the digest announced at opening and hands it to the intake — the very
 * same verification as a package brought on removable media (`importFile`).
 */
@Injectable()
export class ResultUploadService {
  constructor(
    @Inject(PROVINCIAL_CONTEXT) private readonly ctx: ProvincialContext,
    @Inject(ResultIntakeService) private readonly intake: ResultIntakeService,
    @Inject(ProvincialAuditLog) private readonly audit: ProvincialAuditLog,
  ) {}

  /** The upload of these exact bytes: the same package re-announced gets the same upload id. */
  static uploadIdOf(o: Pick<OpenResultUpload, 'packageId' | 'totalBytes' | 'sha256'>): string {
    return sha256Hex(`${o.packageId}\n${o.totalBytes}\n${o.sha256}`).slice(0, 32);
  }

  /** Open (or re-open) an upload; a package already received answers with its receipt at once. */
  async open(input: unknown): Promise<ResultUploadStatus> {
    const o = parseInput(OpenResultUpload, input, '上传请求');
    const venues: unknown[] = await this.ctx.db.dataSource.query('SELECT 1 FROM venue WHERE venue_code = $1', [o.venueCode]);
    if (venues.length === 0) throw refuse('NOT_FOUND', `考点 ${o.venueCode} 未在省级登记`, `venue ${o.venueCode} is not registered at the province`, 'venueCode');
    const uploadId = ResultUploadService.uploadIdOf(o);
    const now = this.ctx.clock.now().toISOString();
    await this.ctx.db.dataSource.query(
      `INSERT INTO result_upload (upload_id, package_id, venue_code, room_code, session_id, total_bytes, sha256, state, via, opened_at, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,'open','upload',$8,$8) ON CONFLICT (upload_id) DO NOTHING`,
      [uploadId, o.packageId, o.venueCode, o.roomCode, o.sessionId, o.totalBytes, o.sha256, now],
    );
    return this.status(uploadId);
  }

  /** The venue an upload belongs to (NOT_FOUND when there is none): a venue may touch its own uploads only. */
  async venueOf(uploadId: string): Promise<string> {
    return (await this.row(this.ctx.db.dataSource.manager, uploadId, false)).venue_code;
  }

  async status(uploadId: string): Promise<ResultUploadStatus> {
    return toStatus(await this.row(this.ctx.db.dataSource.manager, uploadId, false));
  }

  /** Stage one chunk at `offset`; only the next expected offset is taken, each chunk hash-checked. */
  async putChunk(uploadId: string, offsetParam: string, bytes: unknown, chunkSha256: string | undefined): Promise<ResultUploadStatus> {
    const offset = Number(offsetParam);
    if (!/^\d+$/.test(offsetParam) || !Number.isSafeInteger(offset))
      throw refuse('VALIDATION_FAILED', '分片偏移量必须是非负整数', 'chunk offset must be a non-negative integer', 'offset');
    if (!(bytes instanceof Uint8Array) || bytes.length === 0)
      throw refuse('VALIDATION_FAILED', '分片内容为空，请以 application/octet-stream 发送', 'empty chunk; send it as application/octet-stream', 'body');
    if (bytes.length > MAX_CHUNK_BYTES) throw refuse('VALIDATION_FAILED', `分片不得超过 ${MAX_CHUNK_BYTES} 字节`, `a chunk may not exceed ${MAX_CHUNK_BYTES} bytes`, 'body');
    const digest = sha256Hex(bytes);
    if (chunkSha256 !== digest)
      throw refuse('UPLOAD_CHUNK_CORRUPT', '分片校验值不符，传输中数据损坏，请重传该分片', 'chunk SHA-256 does not match; resend the chunk', 'x-chunk-sha256', { offset });

    return this.ctx.db.dataSource.transaction(async (em) => {
      const row = await this.row(em, uploadId, true);
      const confirmed = Number(row.confirmed_bytes);
      if (row.state === 'completed') return toStatus(row);
      if (offset + bytes.length > Number(row.total_bytes))
        throw refuse('VALIDATION_FAILED', `分片超出文件长度 ${row.total_bytes} 字节`, `chunk runs past the announced ${row.total_bytes} bytes`, 'offset', { confirmedBytes: confirmed });
      if (offset < confirmed) {
        // A chunk re-sent after a lost answer: the same bytes at the same place are acknowledged again.
        const same: unknown[] = await em.query('SELECT 1 FROM result_upload_chunk WHERE upload_id = $1 AND byte_offset = $2 AND sha256 = $3', [uploadId, offset, digest]);
        if (same.length > 0) return toStatus(row);
      }
      if (offset !== confirmed)
        throw refuse('UPLOAD_OFFSET_MISMATCH', `分片位置不对：省级已确认 ${confirmed} 字节，请从该位置续传`, `wrong offset: the province holds ${confirmed} bytes; continue from there`, 'offset', { confirmedBytes: confirmed });
      await em.query('INSERT INTO result_upload_chunk (upload_id, byte_offset, bytes, sha256) VALUES ($1,$2,$3,$4)', [uploadId, offset, Buffer.from(bytes), digest]);
      await em.query('UPDATE result_upload SET confirmed_bytes = $2, updated_at = $3 WHERE upload_id = $1', [uploadId, confirmed + bytes.length, this.ctx.clock.now().toISOString()]);
      return toStatus({ ...row, confirmed_bytes: String(confirmed + bytes.length) });
    });
  }

  /** All bytes staged: check the whole file, verify and import the package, answer with the receipt. */
  async complete(uploadId: string): Promise<SignedReceipt> {
    const ds = this.ctx.db.dataSource;
    const row = await this.row(ds.manager, uploadId, false);
    if (row.state === 'completed' && row.receipt) return row.receipt;
    if (Number(row.confirmed_bytes) < Number(row.total_bytes))
      throw refuse('UPLOAD_INCOMPLETE', `数据包尚未传完：已收 ${row.confirmed_bytes} / ${row.total_bytes} 字节`, `upload incomplete: ${row.confirmed_bytes} of ${row.total_bytes} bytes`, 'confirmedBytes', {
        confirmedBytes: Number(row.confirmed_bytes),
        totalBytes: Number(row.total_bytes),
      });
    const chunks: { bytes: Buffer }[] = await ds.query('SELECT bytes FROM result_upload_chunk WHERE upload_id = $1 ORDER BY byte_offset', [uploadId]);
    const file = Buffer.concat(chunks.map((c) => c.bytes));
    if (sha256Hex(file) !== row.sha256) {
      // Every chunk matched its own digest, so the announced file digest was wrong: start over.
      await ds.transaction(async (em) => {
        await em.query('DELETE FROM result_upload_chunk WHERE upload_id = $1', [uploadId]);
        await em.query('UPDATE result_upload SET confirmed_bytes = 0, updated_at = $2 WHERE upload_id = $1', [uploadId, this.ctx.clock.now().toISOString()]);
      });
      throw refuse('UPLOAD_CHECKSUM_MISMATCH', '数据包整体校验值与上传时声明的不符，请重新上传', 'the file does not match the SHA-256 announced when the upload was opened; upload it again', 'sha256');
    }
    return this.accept(uploadId, file, row.package_id);
  }

  /**
   * 离线导入: a package file from removable media with its checksum file's digest. The same
   * checks as an upload: the digest, then the full intake verification, in one transaction.
   */
  async importFile(bytes: unknown, declaredSha256: string | undefined): Promise<SignedReceipt> {
    if (!(bytes instanceof Uint8Array) || bytes.length === 0)
      throw refuse('VALIDATION_FAILED', '文件内容为空，请选择 .kwr 数据包文件', 'empty file; choose the .kwr package file', 'file');
    const declared = declaredSha256?.trim().toLowerCase().split(/\s+/)[0];
    if (!declared || !/^[0-9a-f]{64}$/.test(declared))
      throw refuse('VALIDATION_FAILED', '缺少校验文件（.sha256）中的 SHA-256 值', 'the SHA-256 from the .sha256 checksum file is missing', 'x-package-sha256');
    const digest = sha256Hex(bytes);
    if (digest !== declared)
      throw refuse('UPLOAD_CHECKSUM_MISMATCH', '数据包文件与校验文件不符，文件可能在拷贝中损坏或被截断', 'the package file does not match its checksum file; it may be damaged or truncated', 'file', { sha256: digest });
    const claimed = this.peekManifest(bytes);
    const uploadId = ResultUploadService.uploadIdOf({ ...claimed, totalBytes: bytes.length, sha256: digest });
    const now = this.ctx.clock.now().toISOString();
    await this.ctx.db.dataSource.query(
      `INSERT INTO result_upload (upload_id, package_id, venue_code, room_code, session_id, total_bytes, sha256, confirmed_bytes, state, via, opened_at, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$6,'open','file',$8,$8) ON CONFLICT (upload_id) DO NOTHING`,
      [uploadId, claimed.packageId, claimed.venueCode, claimed.roomCode, claimed.sessionId, bytes.length, digest, now],
    );
    return this.accept(uploadId, bytes, claimed.packageId);
  }

  /** What the file says it is (checked for real by the intake); enough to file the attempt under its room. */
  private peekManifest(bytes: Uint8Array): { packageId: string; venueCode: string; roomCode: string; sessionId: string } {
    try {
      const claimed = OpenResultUpload.pick({ packageId: true, venueCode: true, roomCode: true, sessionId: true }).safeParse(JSON.parse(fromUtf8(bytes))?.manifest?.body);
      if (claimed.success) return claimed.data;
    } catch {
      // fall through to the refusal below
    }
    throw refuse('VALIDATION_FAILED', '文件不是考场考试数据包（.kwr）', 'the file is not a room result package (.kwr)', 'file');
  }

  private async accept(uploadId: string, file: Uint8Array, packageId: string): Promise<SignedReceipt> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fromUtf8(file));
    } catch {
      throw refuse('VALIDATION_FAILED', '数据包文件不是有效的 JSON', 'the package file is not valid JSON', 'file');
    }
    if ((parsed as { manifest?: { body?: { packageId?: unknown } } })?.manifest?.body?.packageId !== packageId)
      throw refuse('VALIDATION_FAILED', `文件中的数据包编号与上传声明的 ${packageId} 不符`, `the file's package id differs from the announced ${packageId}`, 'packageId');
    try {
      return await this.intake.intake(parsed, async (em, receipt) => {
        await em.query(`UPDATE result_upload SET state = 'completed', receipt = $2, error = NULL, completed_at = $3, updated_at = $3 WHERE upload_id = $1`, [
          uploadId,
          JSON.stringify(receipt),
          this.ctx.clock.now().toISOString(),
        ]);
        await em.query('DELETE FROM result_upload_chunk WHERE upload_id = $1', [uploadId]);
      });
    } catch (error) {
      if (error instanceof DomainError) {
        // Kept for the dashboard; the chunks stay, so a fixed cause (a key registered late) can be retried.
        await this.ctx.db.dataSource.query(`UPDATE result_upload SET state = 'refused', error = $2, updated_at = $3 WHERE upload_id = $1`, [
          uploadId,
          JSON.stringify(error.toBody() satisfies ErrorBody),
          this.ctx.clock.now().toISOString(),
        ]);
        await this.audit.record({ actor: 'system', action: 'result_package.refused', subject: packageId, reason: error.code, details: { uploadId, message: error.messageEn } });
      }
      throw error;
    }
  }

  private async row(em: EntityManager, uploadId: string, lock: boolean): Promise<UploadRow> {
    const rows: UploadRow[] = await em.query(
      `SELECT upload_id, package_id, venue_code, total_bytes, sha256, confirmed_bytes, state, receipt FROM result_upload WHERE upload_id = $1${lock ? ' FOR UPDATE' : ''}`,
      [uploadId],
    );
    if (rows.length === 0) throw refuse('NOT_FOUND', `没有编号为 ${uploadId} 的上传，请重新发起上传`, `no upload ${uploadId}; open the upload again`, 'uploadId');
    return rows[0];
  }
}

function toStatus(row: UploadRow): ResultUploadStatus {
  return {
    uploadId: row.upload_id,
    packageId: row.package_id,
    totalBytes: Number(row.total_bytes),
    confirmedBytes: Number(row.confirmed_bytes),
    maxChunkBytes: MAX_CHUNK_BYTES,
    state: row.state,
    receipt: row.receipt,
  };
}
