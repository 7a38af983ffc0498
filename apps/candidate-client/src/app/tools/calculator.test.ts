import { describe, expect, it } from 'vitest';
import { INITIAL_CALCULATOR, calculatorKeyOf, pressKey, type CalculatorKey } from './calculator-state';
import { add, divide, formatDecimal, formatMoney, multiply, parseDecimal, subtract } from './decimal';

const run = (keys: string) => [...keys].reduce((s, k) => pressKey(s, (k === 'B' ? 'Backspace' : k === 'C' ? 'C' : k) as CalculatorKey), INITIAL_CALCULATOR);
const calc = (a: string, op: (x: ReturnType<typeof parseDecimal>, y: ReturnType<typeof parseDecimal>) => ReturnType<typeof parseDecimal>, b: string) => formatDecimal(op(parseDecimal(a), parseDecimal(b)));

describe('decimal arithmetic', () => {
  it('adds money without floating-point noise', () => {
    expect(calc('0.1', add, '0.2')).toBe('0.3');
    expect(calc('1130.10', subtract, '1000.05')).toBe('130.05');
    expect(calc('19.99', multiply, '3')).toBe('59.97');
    expect(calc('-0.5', add, '0.5')).toBe('0');
    expect(formatMoney(parseDecimal('1130.1'))).toBe('1130.10');
  });

  it('divides to ten decimals, rounding half away from zero', () => {
    expect(calc('1', divide, '3')).toBe('0.3333333333');
    expect(calc('2', divide, '3')).toBe('0.6666666667');
    expect(calc('-2', divide, '3')).toBe('-0.6666666667');
    expect(calc('226', divide, '1.13')).toBe('200');
    expect(() => calc('1', divide, '0')).toThrow();
  });
});

describe('calculator keys', () => {
  it('computes 0.1 + 0.2 = 0.3 and chains operators', () => {
    expect(run('0.1+0.2=').display).toBe('0.3');
    expect(run('1+2*3=').display).toBe('9'); // a pocket calculator: left to right
    expect(run('200*1.13=').display).toBe('226');
    expect(run('10/4=').display).toBe('2.5');
    expect(run('5-8=').display).toBe('-3');
  });

  it('replaces an operator typed twice, edits with Backspace and clears with C', () => {
    expect(run('6+*2=').display).toBe('12');
    expect(run('123B').display).toBe('12');
    expect(run('7BB').display).toBe('0');
    expect(run('12+3C')).toEqual(INITIAL_CALCULATOR);
    expect(run('1..5').display).toBe('1.5');
  });

  it('shows division by zero as an error and starts again on the next key', () => {
    const s = run('5/0=');
    expect(s.error).toBe('divide_by_zero');
    expect(pressKey(s, '4').display).toBe('4');
  });

  it('maps the keyboard: digits, operators, Enter, Backspace; not with Ctrl', () => {
    expect(calculatorKeyOf({ key: '7' })).toBe('7');
    expect(calculatorKeyOf({ key: 'Enter' })).toBe('=');
    expect(calculatorKeyOf({ key: '*' })).toBe('*');
    expect(calculatorKeyOf({ key: 'Backspace' })).toBe('Backspace');
    expect(calculatorKeyOf({ key: 'c', ctrlKey: true })).toBeNull();
    expect(calculatorKeyOf({ key: 'a' })).toBeNull();
  });
});
