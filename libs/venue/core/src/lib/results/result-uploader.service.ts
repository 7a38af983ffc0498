import { Inject, Injectable } from '@nestjs/common';
import { ErrorBody, ErrorCode, ResultPackage, ResultUploadStatus, SignedReceipt } from '@kaowu/contracts';
import { canonicalJson, sha256Hex, verifyDocument } from '@kaowu/crypto';
import { VENUE_CONTEXT, VenueContext } from '../venue-context';
import { AuditLog } from '../store/audit-log';
import { resultPackageBytes } from './result-sealer.service';
import { provinceFetch } from '../package/province-client';

export interface UploadOutcome {
  ok: boolean;
  receipt?: SignedReceipt;
  error?: string;
  /** The province refused the package itself (not the transfer): retrying will not help by itself. */
  refusedCode?: ErrorCode;
}

/** Transfer failures the upload survives by asking the province where it stands and going on. */
const RESUMABLE: ErrorCode[] = ['UPLOAD_OFFSET_MISMATCH', 'UPLOAD_CHUNK_CORRUPT', 'UPLOAD_INCOMPLETE', 'UPLOAD_CHECKSUM_MISMATCH', 'NOT_FOUND', 'INTERNAL'];
const TRIES_PER_RUN = 8;
const REQUEST_TIMEOUT_MS = 60_000;

class ProvinceError extends Error {
  constructor(
    readonly status: number,
    readonly body: Partial<ErrorBody>,
  ) {
    super(`${body.code ?? `HTTP ${status}`}: ${body.messageEn ?? body.message ?? ''}`);
  }
  get refusal(): boolean {
    return this.status >= 400 && this.status < 500 && !RESUMABLE.includes(this.body.code as ErrorCode);
  }
}

/** Exponential backoff with jitter ("equal jitter"): half the step fixed, half random. */
export function backoffMs(failures: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const step = Math.min(capMs, baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * 上传考试加密数据: sends a sealed room package to the province in chunks, resuming from the
 * bytes the province has confirmed after any break, retrying with backoff; then verifies the
 * province's signed receipt against the pinned province key and keeps it.
 */
@Injectable()
export class ResultUploader {
  private stopped = false;
  /** Bytes the province has confirmed, per package, as last heard. */
  private confirmed = new Map<string, number>();

  constructor(
    @Inject(VENUE_CONTEXT) private readonly ctx: VenueContext,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  /** The server is shutting down: uploads in flight give up at their next step (and resume after the restart). */
  stop(): void {
    this.stopped = true;
  }

  async upload(pkg: ResultPackage): Promise<UploadOutcome> {
    const manifest = pkg.manifest.body;
    const bytes = resultPackageBytes(pkg);
    const sha256 = sha256Hex(bytes);
    await this.note(manifest.roomCode, manifest.sessionId, 'upload_attempts = upload_attempts + 1', []);
    let failures = 0;
    let confirmedAtLastFailure = -1;
    for (;;) {
      try {
        const receipt = this.verifyReceipt(pkg, await this.transfer(pkg, bytes, sha256));
        await this.note(manifest.roomCode, manifest.sessionId, 'receipt = $3, uploaded_at = $4, confirmed_bytes = $5, last_error = NULL, refused_code = NULL', [
          JSON.stringify(receipt),
          this.ctx.clock.now().toISOString(),
          bytes.length,
        ]);
        await this.audit.record({ actor: 'system', action: 'room.uploaded', subject: manifest.packageId, details: { answers: receipt.body.answersImported, bytes: bytes.length } });
        this.ctx.logger.info({ packageId: manifest.packageId, answers: receipt.body.answersImported }, 'result package accepted by the province');
        return { ok: true, receipt };
      } catch (error) {
        const message = (error as Error).message;
        if (error instanceof ProvinceError && error.refusal) {
          const code = error.body.code as ErrorCode;
          await this.note(manifest.roomCode, manifest.sessionId, 'last_error = $3, refused_code = $4', [message, code]);
          this.ctx.logger.error({ packageId: manifest.packageId, code, err: message }, 'the province refused the result package');
          return { ok: false, error: message, refusedCode: code };
        }
        // A break after progress starts the backoff afresh: only a transfer that is stuck waits longer and longer.
        const confirmed = this.confirmed.get(manifest.packageId) ?? 0;
        failures = confirmed > confirmedAtLastFailure ? 1 : failures + 1;
        confirmedAtLastFailure = confirmed;
        await this.note(manifest.roomCode, manifest.sessionId, 'last_error = $3', [message]);
        this.ctx.logger.warn({ packageId: manifest.packageId, err: message, failures }, 'result upload interrupted; resuming');
        if (failures >= TRIES_PER_RUN || this.stopped) return { ok: false, error: message };
        await sleep(backoffMs(failures, 100, 2_000));
      }
    }
  }

  /** Open (or re-open) the upload, put the chunks the province lacks, complete it. */
  private async transfer(pkg: ResultPackage, bytes: Uint8Array, sha256: string): Promise<SignedReceipt> {
    const manifest = pkg.manifest.body;
    let status = ResultUploadStatus.parse(
      await this.call('POST', '/api/v1/result-uploads', { json: { packageId: manifest.packageId, venueCode: manifest.venueCode, roomCode: manifest.roomCode, sessionId: manifest.sessionId, totalBytes: bytes.length, sha256 } }),
    );
    if (status.receipt) return status.receipt;
    await this.note(manifest.roomCode, manifest.sessionId, 'upload_id = $3, confirmed_bytes = $4', [status.uploadId, status.confirmedBytes]);
    const chunkBytes = Math.min(this.ctx.config.RESULT_UPLOAD_CHUNK_BYTES, status.maxChunkBytes);
    let offset = status.confirmedBytes;
    while (offset < bytes.length) {
      if (this.stopped) throw new Error('the venue server is shutting down');
      const chunk = bytes.subarray(offset, Math.min(bytes.length, offset + chunkBytes));
      try {
        status = ResultUploadStatus.parse(
          await this.call('PUT', `/api/v1/result-uploads/${status.uploadId}/chunks/${offset}`, { raw: chunk, headers: { 'x-chunk-sha256': sha256Hex(chunk) } }),
        );
      } catch (error) {
        // The province holds a different amount than we thought (an answer lost on the way): go on from there.
        const confirmed = error instanceof ProvinceError && error.body.code === 'UPLOAD_OFFSET_MISMATCH' ? Number(error.body.details?.['confirmedBytes']) : NaN;
        if (!Number.isSafeInteger(confirmed)) throw error;
        offset = confirmed;
        continue;
      }
      offset = status.confirmedBytes;
      this.confirmed.set(manifest.packageId, offset);
      await this.note(manifest.roomCode, manifest.sessionId, 'confirmed_bytes = $3', [offset]);
    }
    return SignedReceipt.parse(await this.call('POST', `/api/v1/result-uploads/${status.uploadId}/complete`, {}));
  }

  /** The receipt must be signed by the pinned province key and name this very package. */
  private verifyReceipt(pkg: ResultPackage, receipt: SignedReceipt): SignedReceipt {
    const r = verifyDocument(receipt, this.ctx.province);
    if (r.packageId !== pkg.manifest.body.packageId || r.manifestSha256 !== sha256Hex(canonicalJson(pkg.manifest)))
      throw new Error('RECEIPT_MISMATCH: the receipt does not name this package');
    return receipt;
  }

  private async call(method: 'GET' | 'POST' | 'PUT', path: string, opts: { json?: unknown; raw?: Uint8Array; headers?: Record<string, string> }): Promise<unknown> {
    const res = await provinceFetch(this.ctx, method, path, { ...opts, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = { message: text.slice(0, 200) };
    }
    if (!res.ok) throw new ProvinceError(res.status, (parsed ?? {}) as Partial<ErrorBody>);
    return parsed;
  }

  private async note(roomCode: string, sessionId: string, set: string, values: unknown[]): Promise<void> {
    await this.ctx.db.dataSource.query(`UPDATE result_upload SET ${set} WHERE room_code = $1 AND session_id = $2`, [roomCode, sessionId, ...values]);
  }
}
