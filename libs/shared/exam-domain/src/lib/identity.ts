/** 居民身份证号码 checksum (GB 11643-1999, ISO 7064 MOD 11-2). */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function isValidResidentIdNo(idNo: string): boolean {
  if (!/^\d{17}[\dX]$/.test(idNo)) return false;
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(idNo[i]), 0);
  return CHECK[sum % 11] === idNo[17];
}

/** Complete a 17-digit body with its check character (fixtures, demo data). */
export function withResidentIdCheck(body17: string): string {
  if (!/^\d{17}$/.test(body17)) throw new Error('need 17 digits');
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(body17[i]), 0);
  return body17 + CHECK[sum % 11];
}

/** Show an ID number to a screen with the middle hidden: 5201**********123X. */
export function maskIdNo(idNo: string): string {
  if (idNo.length <= 8) return idNo.replace(/.(?=.{2})/g, '*');
  return idNo.slice(0, 4) + '*'.repeat(idNo.length - 8) + idNo.slice(-4);
}
