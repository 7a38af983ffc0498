import { createHash } from 'node:crypto';
import { unzipSync } from 'fflate';
import { imageSize } from 'image-size';
import type { PhotoError, PhotoProblem } from '@kaowu/contracts';
import { PHOTO_LIMITS, ROSTER_PHOTO_MAX_BYTES, checkPhoto, idNoOfPhotoFile } from '@kaowu/planning-domain';
import { DomainError } from '@kaowu/server-kit';

export interface CheckedPhoto {
  file: string;
  idNo: string;
  format: 'jpg' | 'png';
  width: number;
  height: number;
  sha256: string;
  data: Uint8Array;
}

const MESSAGES: Record<PhotoProblem, [string, string]> = {
  PHOTO_NOT_IMAGE: ['不是可识别的图片', 'is not a readable image'],
  PHOTO_FORMAT: ['格式不符，只接受 JPEG 或 PNG', 'must be JPEG or PNG'],
  PHOTO_TOO_LARGE: [`文件过大（不超过 ${PHOTO_LIMITS.maxBytes / 1024} KB）`, `is larger than ${PHOTO_LIMITS.maxBytes / 1024} KB`],
  PHOTO_DIMENSIONS: [
    `尺寸不符（竖版，宽 ${PHOTO_LIMITS.minWidth}–${PHOTO_LIMITS.maxWidth}、高 ${PHOTO_LIMITS.minHeight}–${PHOTO_LIMITS.maxHeight} 像素）`,
    `must be portrait, ${PHOTO_LIMITS.minWidth}–${PHOTO_LIMITS.maxWidth} × ${PHOTO_LIMITS.minHeight}–${PHOTO_LIMITS.maxHeight} px`,
  ],
  PHOTO_NO_REGISTRANT: ['没有对应的报名考生', 'matches no registrant'],
  PHOTO_DUPLICATE: ['同一证件号码有多张照片', 'another photo has the same ID number'],
  PHOTO_OVER_ROSTER_LIMIT: [
    `超过考点名单允许的 ${ROSTER_PHOTO_MAX_BYTES / 1024} KB：已导入，但生成考点考试包前须换成较小的照片`,
    `is over the ${ROSTER_PHOTO_MAX_BYTES / 1024} KB a venue roster takes: imported, but replace it with a smaller one before building venue packages`,
  ],
};

export function photoError(file: string, code: PhotoProblem): PhotoError {
  return { file, code, message: `${file}：${MESSAGES[code][0]}`, messageEn: `${file}: ${MESSAGES[code][1]}` };
}

/** Entries larger than this are not even inflated (a photo is far smaller; guards against zip bombs). */
const MAX_ENTRY_BYTES = 4 * 1024 * 1024;

/** Open a ZIP of photos named by ID number and check each one; errors name the file. */
export function checkPhotoArchive(zip: Buffer): { photos: CheckedPhoto[]; errors: PhotoError[]; files: number } {
  let entries: Record<string, Uint8Array>;
  const oversized: string[] = [];
  try {
    entries = unzipSync(new Uint8Array(zip.buffer, zip.byteOffset, zip.length), {
      filter: (f) => {
        if (f.name.endsWith('/') || f.name.startsWith('__MACOSX/') || f.name.split('/').pop()?.startsWith('.')) return false;
        if (f.originalSize > MAX_ENTRY_BYTES) {
          oversized.push(f.name);
          return false;
        }
        return true;
      },
    });
  } catch (error) {
    throw new DomainError('VALIDATION_FAILED', '照片包不是有效的 ZIP 文件', `the photo archive is not a valid ZIP: ${(error as Error).message}`, 'file');
  }
  const errors: PhotoError[] = oversized.map((f) => photoError(f, 'PHOTO_TOO_LARGE'));
  const photos: CheckedPhoto[] = [];
  const seen = new Set<string>();
  for (const file of Object.keys(entries).sort()) {
    const data = entries[file];
    const { idNo } = idNoOfPhotoFile(file);
    let facts: { type?: string; width?: number; height?: number };
    try {
      facts = imageSize(data);
    } catch {
      facts = {}; // not an image format image-size knows
    }
    const problem = checkPhoto({ type: facts.type, width: facts.width, height: facts.height, bytes: data.length });
    if (problem) {
      errors.push(photoError(file, problem));
      continue;
    }
    if (seen.has(idNo)) {
      errors.push(photoError(file, 'PHOTO_DUPLICATE'));
      continue;
    }
    seen.add(idNo);
    photos.push({ file, idNo, format: facts.type as 'jpg' | 'png', width: facts.width as number, height: facts.height as number, sha256: createHash('sha256').update(data).digest('hex'), data });
  }
  return { photos, errors, files: Object.keys(entries).length + oversized.length };
}
