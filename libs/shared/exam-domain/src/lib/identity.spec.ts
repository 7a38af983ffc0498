import { checkResidentIdNo, isValidResidentIdNo, maskIdNo, withResidentIdCheck } from './identity';

const TODAY = '2026-11-27';

describe('居民身份证 checksum', () => {
  it('accepts a valid number and rejects a changed digit', () => {
    expect(isValidResidentIdNo('11010519491231002X')).toBe(true);
    expect(isValidResidentIdNo('110105194912310021')).toBe(false);
    expect(isValidResidentIdNo(withResidentIdCheck('52010219900101123'))).toBe(true);
  });
  it('masks the middle of an ID number', () => {
    expect(maskIdNo('11010519491231002X')).toBe('1101**********002X');
  });
});

describe('checkResidentIdNo (GB 11643-1999)', () => {
  it('accepts a valid number (X check digit) and reads birth date and gender from it', () => {
    expect(checkResidentIdNo('11010519491231002X', TODAY)).toEqual({ ok: true, birthDate: '1949-12-31', gender: 'F' });
    expect(checkResidentIdNo(withResidentIdCheck('52010219900101122'), TODAY)).toEqual({ ok: true, birthDate: '1990-01-01', gender: 'F' });
    expect(checkResidentIdNo(withResidentIdCheck('52010219900101113'), TODAY)).toMatchObject({ ok: true, gender: 'M' });
  });

  it.each([
    ['too short', '1101051949123100', 'ID_FORMAT'],
    ['lowercase x', '11010519491231002x', 'ID_FORMAT'],
    ['letter in the body', '1101051949A231002X', 'ID_FORMAT'],
    ['unknown province 99', withResidentIdCheck('99010519491231002'), 'ID_REGION'],
    ['province code without county', withResidentIdCheck('52000019900101123'), 'ID_REGION'],
    ['30 February', withResidentIdCheck('52010219900230123'), 'ID_BIRTH_DATE'],
    ['month 13', withResidentIdCheck('52010219901301123'), 'ID_BIRTH_DATE'],
    ['born before 1900', withResidentIdCheck('52010218991231123'), 'ID_BIRTH_DATE'],
    ['born after today', withResidentIdCheck('52010220261128123'), 'ID_BIRTH_DATE'],
    ['wrong check digit', '110105194912310021', 'ID_CHECK_DIGIT'],
  ])('refuses %s with its reason', (_what, idNo, reason) => {
    expect(checkResidentIdNo(idNo, TODAY)).toEqual({ ok: false, reason });
  });

  it('accepts 29 February of a leap year only', () => {
    expect(checkResidentIdNo(withResidentIdCheck('52010220000229123'), TODAY).ok).toBe(true);
    expect(checkResidentIdNo(withResidentIdCheck('52010219000229123'), TODAY)).toEqual({ ok: false, reason: 'ID_BIRTH_DATE' });
  });

  it('finds every single-digit change through the check digit', () => {
    const id = withResidentIdCheck('52010219900101123');
    for (let i = 0; i < 17; i++) {
      for (let digit = 0; digit <= 9; digit++) {
        if (String(digit) === id[i]) continue;
        const changed = id.slice(0, i) + digit + id.slice(i + 1);
        expect(checkResidentIdNo(changed, TODAY).ok).toBe(false);
      }
    }
  });
});
