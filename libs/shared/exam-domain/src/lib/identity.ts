/** 居民身份证号码 checksum (GB 11643-1999, ISO 7064 MOD 11-2). */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

function checkCharOf(body17: string): string {
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(body17[i]), 0);
  return CHECK[sum % 11];
}

export function isValidResidentIdNo(idNo: string): boolean {
  if (!/^\d{17}[\dX]$/.test(idNo)) return false;
  return checkCharOf(idNo) === idNo[17];
}

/** Complete a 17-digit body with its check character (fixtures, demo data). */
export function withResidentIdCheck(body17: string): string {
  if (!/^\d{17}$/.test(body17)) throw new Error('need 17 digits');
  return body17 + checkCharOf(body17);
}

/**
 * Province-level codes of GB/T 2260 (the first two digits of the 行政区划代码), plus 81/82/83
 * used by the residence permits of Hong Kong, Macao and Taiwan residents.
 */
const PROVINCE_CODES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
  '71', '81', '82', '83',
]);

export type ResidentIdProblem = 'ID_FORMAT' | 'ID_REGION' | 'ID_BIRTH_DATE' | 'ID_CHECK_DIGIT';
export type ResidentIdCheck = { ok: true; birthDate: string; gender: 'M' | 'F' } | { ok: false; reason: ResidentIdProblem };

/**
 * Full check of an 18-character 居民身份证号码 (GB 11643-1999): 6-digit region code, birth date
 * YYYYMMDD (a real day, not before 1900, not after `today`), 3-digit sequence (odd = male),
 * ISO 7064 MOD 11-2 check character (X for 10). `today` is `YYYY-MM-DD` from the caller's clock.
 */
export function checkResidentIdNo(idNo: string, today: string): ResidentIdCheck {
  if (!/^\d{17}[\dX]$/.test(idNo)) return { ok: false, reason: 'ID_FORMAT' };
  const province = idNo.slice(0, 2);
  // A province code alone (xx0000) names no issuing county, except the 71/81/82/83 special regions.
  const countyMissing = idNo.slice(2, 6) === '0000' && !['71', '81', '82', '83'].includes(province);
  if (!PROVINCE_CODES.has(province) || countyMissing) return { ok: false, reason: 'ID_REGION' };
  const y = Number(idNo.slice(6, 10));
  const m = Number(idNo.slice(10, 12));
  const d = Number(idNo.slice(12, 14));
  const birthDate = `${idNo.slice(6, 10)}-${idNo.slice(10, 12)}-${idNo.slice(12, 14)}`;
  const day = new Date(Date.UTC(y, m - 1, d));
  const real = day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
  if (!real || y < 1900 || birthDate > today) return { ok: false, reason: 'ID_BIRTH_DATE' };
  if (checkCharOf(idNo) !== idNo[17]) return { ok: false, reason: 'ID_CHECK_DIGIT' };
  return { ok: true, birthDate, gender: Number(idNo[16]) % 2 === 1 ? 'M' : 'F' };
}

/** Show an ID number to a screen with the middle hidden: 5201**********123X. */
export function maskIdNo(idNo: string): string {
  if (idNo.length <= 8) return idNo.replace(/.(?=.{2})/g, '*');
  return idNo.slice(0, 4) + '*'.repeat(idNo.length - 8) + idNo.slice(-4);
}
