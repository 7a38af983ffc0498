import { withResidentIdCheck } from '@kaowu/exam-domain';
import { RawRegistrationRow, RegistrationLookups, validateRegistrationRows } from './registration-rows';

const lookups: RegistrationLookups = {
  regions: new Map([['520100', '520100'], ['贵阳市', '520100']]),
  subjects: new Map([['ZJSW', 'ZJSW'], ['中级会计实务', 'ZJSW'], ['JJF', 'JJF'], ['经济法', 'JJF']]),
  subjectOrder: ['ZJSW', 'JJF'],
  today: '2026-06-01',
};
const id = withResidentIdCheck('52010219900101122'); // 女
const row = (over: Partial<RawRegistrationRow>): RawRegistrationRow => ({ row: 2, name: '张三', gender: '女', idType: '居民身份证', idNo: id, region: '贵阳市', subjects: '经济法、中级会计实务', phone: '13800000001', ...over });
const codes = (rows: RawRegistrationRow[]) => validateRegistrationRows(rows, lookups).errors.map((e) => `${e.row}:${e.column}:${e.code}`);

describe('报名 row rules', () => {
  it('normalises a good row: subjects in sitting order, phone without +86 and spaces, region by name', () => {
    const { valid, errors } = validateRegistrationRows([row({ phone: '+86 138-0000-0001' })], lookups);
    expect(errors).toEqual([]);
    expect(valid).toEqual([{ row: 2, name: '张三', gender: 'F', idType: 'RESIDENT_ID', idNo: id, regionCode: '520100', subjects: ['ZJSW', 'JJF'], phone: '13800000001' }]);
  });

  it('checks other documents by format only and names every problem of a row', () => {
    expect(codes([row({ idType: '护照', idNo: 'E1234567' })])).toEqual([]);
    expect(codes([row({ idType: '护照', idNo: 'E12' })])).toEqual(['2:idNo:ID_FORMAT']);
    expect(codes([row({ name: '张'.repeat(51), gender: '未知', subjects: '经济法，经济法', phone: '12345678901' })])).toEqual([
      '2:name:NAME_TOO_LONG', '2:gender:BAD_GENDER', '2:subjects:DUPLICATE_SUBJECT', '2:phone:BAD_PHONE',
    ]);
    expect(codes([row({ region: '', subjects: '' })])).toEqual(['2:region:MISSING_FIELD', '2:subjects:MISSING_FIELD']);
  });

  it('reports a repeated ID number on the later row, naming the first', () => {
    const { errors, valid } = validateRegistrationRows([row({ row: 2 }), row({ row: 7, name: '李四' })], lookups);
    expect(valid.map((v) => v.row)).toEqual([2]);
    expect(errors).toEqual([expect.objectContaining({ row: 7, column: 'idNo', code: 'DUPLICATE_ID', message: `第 7 行 证件号码：证件号码“${id}”与第 2 行重复` })]);
  });
});
