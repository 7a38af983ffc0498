/**
 * Exact decimal arithmetic for the calculator and the journal totals: numbers are scaled
 * big integers, so 0.1 + 0.2 is 0.3 and money adds up to the cent. Division keeps
 * DIVISION_DIGITS decimals, rounded half away from zero.
 */
export interface Decimal {
  /** The value times 10^scale. */
  units: bigint;
  scale: number;
}

export const DIVISION_DIGITS = 10;
const DECIMAL_TEXT = /^(-)?(\d*)(?:\.(\d*))?$/;

export class DecimalError extends Error {}

const pow10 = (n: number) => 10n ** BigInt(n);

export function parseDecimal(text: string): Decimal {
  const m = DECIMAL_TEXT.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new DecimalError(`not a number: ${text}`);
  const fraction = m[3] ?? '';
  const units = BigInt((m[2] || '0') + fraction);
  return { units: m[1] ? -units : units, scale: fraction.length };
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.units * pow10(scale - a.scale), b.units * pow10(scale - b.scale), scale];
}

export function add(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = align(a, b);
  return { units: x + y, scale };
}

export function subtract(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = align(a, b);
  return { units: x - y, scale };
}

export function multiply(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

export function divide(a: Decimal, b: Decimal): Decimal {
  if (b.units === 0n) throw new DecimalError('division by zero');
  // a/b = (a.units / 10^a.scale) / (b.units / 10^b.scale); one extra digit for rounding.
  const numerator = a.units * pow10(b.scale + DIVISION_DIGITS + 1);
  const denominator = b.units * pow10(a.scale);
  let q = numerator / denominator;
  const negative = q < 0n;
  if (negative) q = -q;
  q = (q + 5n) / 10n;
  return { units: negative ? -q : q, scale: DIVISION_DIGITS };
}

/** Plain notation, no trailing zeros: "0.3", "-12", "1200.5". */
export function formatDecimal(d: Decimal): string {
  const negative = d.units < 0n;
  const digits = (negative ? -d.units : d.units).toString().padStart(d.scale + 1, '0');
  const int = digits.slice(0, digits.length - d.scale);
  const fraction = d.scale > 0 ? digits.slice(digits.length - d.scale).replace(/0+$/, '') : '';
  const text = fraction ? `${int}.${fraction}` : int;
  return negative && text !== '0' ? `-${text}` : text;
}

/** Money with exactly two decimals ("1130.00"), for totals shown next to a journal entry. */
export function formatMoney(d: Decimal): string {
  const text = formatDecimal(d);
  const [int, fraction = ''] = text.split('.');
  return `${int}.${fraction.padEnd(2, '0')}`;
}

export const ZERO: Decimal = { units: 0n, scale: 0 };
export const isZero = (d: Decimal) => d.units === 0n;
