import { Inject, Injectable } from '@nestjs/common';
import { ErrorBody, ResultPackage, SignedReceipt } from '@kaowu/contracts';
import { canonicalJson, sha256Hex, verifyDocument } from '@kaowu/crypto';
import { VENUE_CONTEXT, VenueContext } from '../venue-context';
import { AuditLog } from '../store/audit-log';

export interface UploadOutcome {
  ok: boolean;
  receipt?: SignedReceipt;
  error?: string;
}

/** 上传考试加密数据: sends a sealed room package to the province and keeps the verified receipt. */
@Injectable()
export class ResultUploader {
  constructor(
    @Inject(VENUE_CONTEXT) private readonly ctx: VenueContext,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  async upload(pkg: ResultPackage): Promise<UploadOutcome> {
    const manifest = pkg.manifest.body;
    const ds = this.ctx.db.dataSource;
    try {
      const res = await fetch(`${this.ctx.config.PROVINCE_URL}/api/v1/results`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(pkg),
      });
      const body = await res.json();
      if (!res.ok) {
        const err = body as ErrorBody;
        throw new Error(`${err.code ?? res.status}: ${err.message ?? ''}`);
      }
      const receipt = SignedReceipt.parse(body);
      const r = verifyDocument(receipt, this.ctx.province);
      if (r.packageId !== manifest.packageId || r.manifestSha256 !== sha256Hex(canonicalJson(pkg.manifest)))
        throw new Error('receipt does not name this package');
      await ds.query('UPDATE result_upload SET receipt = $3, uploaded_at = $4, last_error = NULL WHERE room_code = $1 AND session_id = $2', [
        manifest.roomCode,
        manifest.sessionId,
        JSON.stringify(receipt),
        this.ctx.clock.now().toISOString(),
      ]);
      await this.audit.record({ actor: 'system', action: 'room.uploaded', subject: manifest.packageId, details: { answers: r.answersImported } });
      this.ctx.logger.info({ packageId: manifest.packageId, answers: r.answersImported }, 'result package accepted by the province');
      return { ok: true, receipt };
    } catch (error) {
      const message = (error as Error).message;
      await ds.query('UPDATE result_upload SET last_error = $3 WHERE room_code = $1 AND session_id = $2', [manifest.roomCode, manifest.sessionId, message]);
      this.ctx.logger.warn({ packageId: manifest.packageId, err: message }, 'result upload failed; will retry');
      return { ok: false, error: message };
    }
  }
}
