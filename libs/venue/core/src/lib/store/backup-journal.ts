import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import { FileHandle, open } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { AnswerValue } from '@kaowu/contracts';
import { RecordSegmentWriter, canonicalJson, signSegmentHead, utf8 } from '@kaowu/crypto';
import { VENUE_CONTEXT, VenueContext } from '../venue-context';

/** One answer event as the backup journal keeps it: enough to rebuild the venue database. */
export interface BackupRecord {
  attemptId: string;
  sessionId: string;
  candidateId: string;
  seq: number;
  itemId: string;
  value: AnswerValue;
  receivedAt: string;
}

const SEGMENT_MAX_RECORDS = 100_000;

/**
 * 答题信息及时加密备份: every answer event, before it is acknowledged, is appended to an
 * encrypted, hash-chained segment file on the backup path and fsync'd. Each segment's data key
 * is sealed once to the province (records are XChaCha20-Poly1305, not one sealed box each), so
 * the venue can write the journal but cannot read it back; a head signed by the venue follows
 * every batch, so truncation is detectable. File lines: header, then records and heads (NDJSON).
 */
@Injectable()
export class BackupJournal implements OnModuleInit, OnModuleDestroy {
  private fh: FileHandle | undefined;
  private writer: RecordSegmentWriter | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly fsyncSeconds;

  constructor(@Inject(VENUE_CONTEXT) private readonly ctx: VenueContext) {
    this.fsyncSeconds = ctx.metrics.histogram('kaowu_backup_append_seconds', 'Backup journal append + fsync', [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1]);
  }

  get dir(): string {
    return this.ctx.config.BACKUP_DIR;
  }

  async onModuleInit(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    await this.openSegment();
  }

  private async openSegment(): Promise<void> {
    await this.fh?.close();
    const now = this.ctx.clock.now();
    const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
    const segmentId = `${this.ctx.config.VENUE_CODE}-${stamp}-${randomBytes(4).toString('hex')}`;
    this.writer = RecordSegmentWriter.create(segmentId, this.ctx.province.boxPublicKey, now.toISOString());
    this.fh = await open(join(this.dir, `${segmentId}.kwj`), 'wx', 0o640);
    await this.fh.write(JSON.stringify({ type: 'header', venueKeyId: this.ctx.keys.keyId, ...this.writer.header }) + '\n');
    await this.fh.sync();
    // make the new file's directory entry durable too
    const dirHandle = await open(this.dir, 'r');
    await dirHandle.sync().finally(() => dirHandle.close());
  }

  /** Append a batch and fsync; resolves only when the records are on disk. */
  append(records: BackupRecord[]): Promise<void> {
    const next = this.tail.then(() => this.write(records));
    this.tail = next.catch(() => undefined);
    return next;
  }

  private async write(records: BackupRecord[]): Promise<void> {
    if (records.length === 0) return;
    if (!this.writer || !this.fh) throw new Error('backup journal is not open');
    const stop = this.fsyncSeconds.startTimer();
    const lines = records.map((r) => JSON.stringify({ type: 'record', ...this.writer!.append(utf8(canonicalJson(r))) }));
    const head = this.writer.head;
    lines.push(JSON.stringify({ type: 'head', ...signSegmentHead(this.writer.header, head.index + 1, head.hash, this.ctx.keys) }));
    await this.fh.write(lines.join('\n') + '\n');
    await this.fh.datasync();
    stop();
    if (head.index + 1 >= SEGMENT_MAX_RECORDS) await this.openSegment();
  }

  async onModuleDestroy(): Promise<void> {
    await this.tail;
    await this.fh?.close();
    this.fh = undefined;
  }
}
