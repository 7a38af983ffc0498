import type { RegistrationColumn, RegistrationProblem, RowError } from '@kaowu/contracts';
import { checkResidentIdNo } from '@kaowu/exam-domain';

/** 证件类型 as clerks write them, to stable codes. */
export const ID_TYPES: Record<string, IdType> = {
  居民身份证: 'RESIDENT_ID',
  身份证: 'RESIDENT_ID',
  港澳居民来往内地通行证: 'HK_MO_PERMIT',
  台湾居民来往大陆通行证: 'TW_PERMIT',
  护照: 'PASSPORT',
  外国人永久居留身份证: 'FOREIGN_PR',
};
export type IdType = 'RESIDENT_ID' | 'HK_MO_PERMIT' | 'TW_PERMIT' | 'PASSPORT' | 'FOREIGN_PR';
const ID_TYPE_CODES = new Set<string>(Object.values(ID_TYPES));

/** The columns of a registration file: zh-CN headers first, en accepted too. */
export const REGISTRATION_HEADERS: Record<RegistrationColumn, string[]> = {
  name: ['姓名', 'name'],
  gender: ['性别', 'gender'],
  idType: ['证件类型', 'idtype', 'id type'],
  idNo: ['证件号码', 'idno', 'id no', 'id number'],
  region: ['地区', '报考地区', 'region'],
  subjects: ['报考科目', '科目', 'subjects'],
  phone: ['手机号', '手机号码', '联系电话', 'phone'],
};
export const COLUMN_LABELS: Record<RegistrationColumn, string> = { name: '姓名', gender: '性别', idType: '证件类型', idNo: '证件号码', region: '地区', subjects: '报考科目', phone: '手机号' };

export type RawRegistrationRow = { row: number } & Record<RegistrationColumn, string>;

export interface RegistrationRow {
  row: number;
  name: string;
  gender: 'M' | 'F';
  idType: IdType;
  idNo: string;
  regionCode: string;
  /** Subject codes in the sitting's order. */
  subjects: string[];
  phone: string;
}

export interface RegistrationLookups {
  /** Region code or name → region code. */
  regions: Map<string, string>;
  /** Subject code or name → subject code. */
  subjects: Map<string, string>;
  /** Subject codes in sitting order. */
  subjectOrder: string[];
  /** Today (YYYY-MM-DD) from the server clock, for birth dates. */
  today: string;
}

const MESSAGES: Record<RegistrationProblem, (v: string, extra?: string) => [string, string]> = {
  MISSING_FIELD: () => ['不能为空', 'is required'],
  NAME_TOO_LONG: () => ['姓名不能超过 50 个字符', 'name is longer than 50 characters'],
  BAD_GENDER: (v) => [`性别“${v}”无效，应为 男 或 女`, `gender "${v}" must be 男 or 女 (M/F)`],
  BAD_ID_TYPE: (v) => [`证件类型“${v}”无效，应为 居民身份证、港澳居民来往内地通行证、台湾居民来往大陆通行证、护照 或 外国人永久居留身份证`, `unknown ID type "${v}"`],
  ID_FORMAT: (v) => [`证件号码“${v}”格式不正确（居民身份证为 18 位，末位可为 X）`, `ID number "${v}" is malformed (a resident ID has 18 characters, the last may be X)`],
  ID_REGION: (v) => [`证件号码“${v}”的地区码无效`, `ID number "${v}" has an unknown region code`],
  ID_BIRTH_DATE: (v) => [`证件号码“${v}”的出生日期无效`, `ID number "${v}" has an invalid birth date`],
  ID_CHECK_DIGIT: (v) => [`证件号码“${v}”校验位错误，请核对号码`, `ID number "${v}" fails its check digit; check the number`],
  ID_GENDER_MISMATCH: (v) => [`性别与证件号码“${v}”不符`, `gender does not match ID number "${v}"`],
  DUPLICATE_ID: (v, first) => [`证件号码“${v}”与第 ${first} 行重复`, `ID number "${v}" repeats row ${first}`],
  UNKNOWN_REGION: (v) => [`地区“${v}”不存在，请使用地区代码或名称`, `unknown region "${v}"; use a region code or name`],
  UNKNOWN_SUBJECT: (v) => [`报考科目“${v}”不在本次考试计划中`, `subject "${v}" is not in this sitting`],
  DUPLICATE_SUBJECT: (v) => [`报考科目“${v}”重复`, `subject "${v}" listed twice`],
  BAD_PHONE: (v) => [`手机号“${v}”无效，应为 11 位手机号码`, `phone "${v}" must be an 11-digit mobile number`],
};

export function rowError(row: number, column: RegistrationColumn, code: RegistrationProblem, value = '', extra?: string): RowError {
  const [zh, en] = MESSAGES[code](value, extra);
  return { row, column, code, message: `第 ${row} 行 ${COLUMN_LABELS[column]}：${zh}`, messageEn: `row ${row}, ${column}: ${en}` };
}

const GENDERS: Record<string, 'M' | 'F'> = { 男: 'M', 女: 'F', M: 'M', F: 'F', m: 'M', f: 'F' };
const SUBJECT_SEPARATORS = /[、,，;；/|\s]+/;

/** Validate every row; rows with any error are left out of `valid`. Later duplicates of an ID number are errors. */
export function validateRegistrationRows(rows: RawRegistrationRow[], lookups: RegistrationLookups): { valid: RegistrationRow[]; errors: RowError[] } {
  const valid: RegistrationRow[] = [];
  const errors: RowError[] = [];
  const firstRowOf = new Map<string, number>();
  const orderOf = new Map(lookups.subjectOrder.map((s, i) => [s, i]));
  for (const raw of rows) {
    const rowErrors: RowError[] = [];
    const err = (column: RegistrationColumn, code: RegistrationProblem, value?: string, extra?: string) => rowErrors.push(rowError(raw.row, column, code, value, extra));
    for (const column of Object.keys(COLUMN_LABELS) as RegistrationColumn[]) if (!raw[column]) err(column, 'MISSING_FIELD');

    const name = raw.name;
    if (name.length > 50) err('name', 'NAME_TOO_LONG');
    const gender = GENDERS[raw.gender];
    if (raw.gender && !gender) err('gender', 'BAD_GENDER', raw.gender);
    const idType = ID_TYPES[raw.idType] ?? (ID_TYPE_CODES.has(raw.idType) ? (raw.idType as IdType) : undefined);
    if (raw.idType && !idType) err('idType', 'BAD_ID_TYPE', raw.idType);
    const idNo = raw.idNo.replace(/\s+/g, '').toUpperCase();
    if (idNo && idType === 'RESIDENT_ID') {
      const check = checkResidentIdNo(idNo, lookups.today);
      if (!check.ok) err('idNo', check.reason, idNo);
      else if (gender && check.gender !== gender) err('gender', 'ID_GENDER_MISMATCH', idNo);
    } else if (idNo && idType && !/^[0-9A-Z]{6,20}$/.test(idNo)) err('idNo', 'ID_FORMAT', idNo);
    if (idNo) {
      const first = firstRowOf.get(idNo);
      if (first !== undefined) err('idNo', 'DUPLICATE_ID', idNo, String(first));
      else firstRowOf.set(idNo, raw.row);
    }
    const regionCode = lookups.regions.get(raw.region);
    if (raw.region && !regionCode) err('region', 'UNKNOWN_REGION', raw.region);
    const subjects: string[] = [];
    for (const s of raw.subjects.split(SUBJECT_SEPARATORS).filter(Boolean)) {
      const code = lookups.subjects.get(s);
      if (!code) err('subjects', 'UNKNOWN_SUBJECT', s);
      else if (subjects.includes(code)) err('subjects', 'DUPLICATE_SUBJECT', s);
      else subjects.push(code);
    }
    const phone = raw.phone.replace(/[\s-]/g, '').replace(/^\+?86/, '');
    if (raw.phone && !/^1[3-9]\d{9}$/.test(phone)) err('phone', 'BAD_PHONE', raw.phone);

    if (rowErrors.length > 0) errors.push(...rowErrors);
    else
      valid.push({
        row: raw.row, name, gender: gender as 'M' | 'F', idType: idType as IdType, idNo, regionCode: regionCode as string,
        subjects: subjects.sort((a, b) => (orderOf.get(a) ?? 0) - (orderOf.get(b) ?? 0)), phone,
      });
  }
  return { valid, errors };
}
