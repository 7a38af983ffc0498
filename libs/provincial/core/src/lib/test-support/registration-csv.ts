import { withResidentIdCheck } from '@kaowu/exam-domain';

/** The header of a 报名 CSV as clerks write it. */
export const REGISTRATION_HEADER = '姓名,性别,证件类型,证件号码,地区,报考科目,手机号';

/** A valid 居民身份证 number for candidate n (region 520102, born 1990). */
export const idOf = (n: number) => withResidentIdCheck(`5201021990${String(1 + (n % 12)).padStart(2, '0')}${String(1 + (n % 28)).padStart(2, '0')}${String(n).padStart(3, '0')}`.slice(0, 17));

/** The gender the ID number says (its 17th digit). */
export const genderOf = (idNo: string) => (Number(idNo[16]) % 2 === 1 ? '男' : '女');

/** One CSV row: 考生n, their ID number and gender, a region (name or code) and subjects (names or codes, 、-separated). */
export const registrationRow = (n: number, region: string, subjects = '经济法') => `考生${n},${genderOf(idOf(n))},居民身份证,${idOf(n)},${region},"${subjects}",138${String(n).padStart(8, '0')}`;
