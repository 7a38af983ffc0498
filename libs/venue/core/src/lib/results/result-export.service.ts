import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { RESULT_FILE_EXTENSION, ResultPackage } from '@kaowu/contracts';
import { sha256Hex } from '@kaowu/crypto';
import { DomainError } from '@kaowu/server-kit';
import { VENUE_CONTEXT, VenueContext } from '../venue-context';
import { AuditLog } from '../store/audit-log';
import { resultPackageBytes } from './result-sealer.service';

export interface ResultFile {
  packageId: string;
  fileName: string;
  bytes: Uint8Array;
  sha256: string;
}

/** `sha256sum` format, so `sha256sum -c` checks the copy on any machine. */
export const checksumLine = (f: { sha256: string; fileName: string }) => `${f.sha256}  ${f.fileName}\n`;

/**
 * 离线上报: a sealed room package as a file for removable media, with its SHA-256 checksum
 * file. The file is the very bytes the upload sends, so the province verifies both alike.
 */
@Injectable()
export class ResultExportService {
  constructor(
    @Inject(VENUE_CONTEXT) private readonly ctx: VenueContext,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  async file(packageId: string): Promise<ResultFile> {
    const rows: { package: ResultPackage }[] = await this.ctx.db.dataSource.query('SELECT package FROM result_upload WHERE package_id = $1', [packageId]);
    if (rows.length === 0) throw new DomainError('NOT_FOUND', `数据包 ${packageId} 尚未封装`, `package ${packageId} has not been sealed`, 'packageId');
    const bytes = resultPackageBytes(rows[0].package);
    return { packageId, fileName: `${packageId}${RESULT_FILE_EXTENSION}`, bytes, sha256: sha256Hex(bytes) };
  }

  /** Write every sealed package (or one) and its checksum file into `dir` (the mounted removable medium). */
  async exportTo(dir: string, actor: string, packageId?: string): Promise<{ packageId: string; file: string; checksumFile: string; sha256: string; bytes: number }[]> {
    if (!isAbsolute(dir)) throw new DomainError('VALIDATION_FAILED', '导出目录必须是绝对路径（移动存储介质的挂载点）', 'the export directory must be an absolute path (the removable medium)', 'dir');
    const ids: { package_id: string }[] = await this.ctx.db.dataSource.query(
      'SELECT package_id FROM result_upload WHERE ($1::text IS NULL OR package_id = $1) ORDER BY package_id',
      [packageId ?? null],
    );
    if (ids.length === 0) throw new DomainError('NOT_FOUND', '没有已封装的考场数据包可导出', 'no sealed room package to export', 'packageId');
    mkdirSync(dir, { recursive: true });
    const written = [];
    for (const { package_id } of ids) {
      const f = await this.file(package_id);
      const file = join(dir, f.fileName);
      // Written under a temporary name first: a pulled stick never holds a half file under the real name.
      writeFileSync(`${file}.part`, f.bytes, { flush: true });
      renameSync(`${file}.part`, file);
      writeFileSync(`${file}.sha256`, checksumLine(f), { flush: true });
      await this.ctx.db.dataSource.query('UPDATE result_upload SET exported_at = $2 WHERE package_id = $1', [package_id, this.ctx.clock.now().toISOString()]);
      await this.audit.record({ actor, action: 'room.exported', subject: package_id, details: { file, sha256: f.sha256, bytes: f.bytes.length } });
      written.push({ packageId: package_id, file, checksumFile: `${file}.sha256`, sha256: f.sha256, bytes: f.bytes.length });
    }
    return written;
  }
}
