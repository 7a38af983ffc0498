import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EncryptedRecord, PartyKeys, RecordSegmentHeader, SignedSegmentHead, fromUtf8, openRecordSegment } from '@kaowu/crypto';
import type { BackupRecord } from './backup-journal';

export interface BackupSegment {
  file: string;
  header: RecordSegmentHeader & { venueKeyId?: string };
  records: EncryptedRecord[];
  lastHead: SignedSegmentHead | undefined;
  /** A final line cut by a crash mid-write (its batch was never acknowledged). */
  tornTail: boolean;
}

/** Parse one segment file; only the very last line may be incomplete. */
export function parseBackupSegment(file: string, text: string): BackupSegment {
  const lines = text.split('\n');
  const complete = text.endsWith('\n');
  const body = lines.slice(0, complete ? -1 : lines.length);
  let tornTail = false;
  let header: BackupSegment['header'] | undefined;
  const records: EncryptedRecord[] = [];
  let lastHead: SignedSegmentHead | undefined;
  body.forEach((line, i) => {
    let entry: { type: string } & Record<string, unknown>;
    try {
      entry = JSON.parse(line);
    } catch (error) {
      if (i === body.length - 1 && !complete) {
        tornTail = true;
        return;
      }
      throw new Error(`${file}: line ${i + 1} is not a journal entry (${(error as Error).message})`, { cause: error });
    }
    const { type, ...rest } = entry;
    if (type === 'header') header = rest as unknown as BackupSegment['header'];
    else if (type === 'record') records.push(rest as unknown as EncryptedRecord);
    else if (type === 'head') lastHead = rest as unknown as SignedSegmentHead;
    else throw new Error(`${file}: line ${i + 1} has unknown type ${type}`);
  });
  if (!header) throw new Error(`${file}: no segment header`);
  return { file, header, records, lastHead, tornTail };
}

/** Every `.kwj` segment under a backup directory, oldest first. */
export function readBackupDir(dir: string): BackupSegment[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.kwj'))
    .sort()
    .map((f) => parseBackupSegment(f, readFileSync(join(dir, f), 'utf8')));
}

/**
 * Decrypt a segment with the province's keys, checking the hash chain and the venue's last
 * signed head (a dropped, reordered, altered or truncated record fails with the crypto error).
 */
export function openBackupSegment(segment: BackupSegment, province: PartyKeys, venueSigningPublicKey: string | Uint8Array): BackupRecord[] {
  const expected = segment.lastHead ? { head: segment.lastHead, venueSigningPublicKey } : undefined;
  return openRecordSegment(segment.header, segment.records, province, expected).map((b) => JSON.parse(fromUtf8(b)) as BackupRecord);
}
