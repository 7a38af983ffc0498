import type { PhotoProblem } from '@kaowu/contracts';

/** 报名照片: JPEG or PNG, portrait, within these bounds (configurable defaults). */
export const PHOTO_LIMITS = { maxBytes: 200 * 1024, minWidth: 150, maxWidth: 1200, minHeight: 200, maxHeight: 1600 };

/**
 * What a venue roster carries per photo (CandidatePhoto in contracts): a larger photo is imported
 * (the import takes up to PHOTO_LIMITS.maxBytes) but must be replaced before venue packages are built.
 * No JPEG codec is installed to shrink it here, so the clerk is told at import time instead.
 */
export const ROSTER_PHOTO_MAX_BYTES = 64 * 1024;

export interface PhotoFacts {
  /** Format read from the content (image-size), not from the file name. */
  type: string | undefined;
  width: number | undefined;
  height: number | undefined;
  bytes: number;
}

export function checkPhoto(p: PhotoFacts, limits = PHOTO_LIMITS): PhotoProblem | undefined {
  if (!p.type || p.width === undefined || p.height === undefined) return 'PHOTO_NOT_IMAGE';
  if (p.type !== 'jpg' && p.type !== 'png') return 'PHOTO_FORMAT';
  if (p.bytes > limits.maxBytes) return 'PHOTO_TOO_LARGE';
  if (p.width < limits.minWidth || p.width > limits.maxWidth || p.height < limits.minHeight || p.height > limits.maxHeight || p.height <= p.width) return 'PHOTO_DIMENSIONS';
  return undefined;
}

/** The ID number a photo file is named by: `photos/11010519491231002X.jpg` → `11010519491231002X`. */
export function idNoOfPhotoFile(path: string): { idNo: string; extension: string } {
  const base = path.split('/').pop() ?? path;
  const dot = base.lastIndexOf('.');
  return dot < 0 ? { idNo: base.toUpperCase(), extension: '' } : { idNo: base.slice(0, dot).toUpperCase(), extension: base.slice(dot + 1).toLowerCase() };
}
