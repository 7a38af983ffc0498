import { isValidResidentIdNo, maskIdNo, withResidentIdCheck } from './identity';

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
