import { DecimalError, add, divide, formatDecimal, multiply, parseDecimal, subtract, type Decimal } from './decimal';

/**
 * The built-in calculator (计算器): a plain four-function calculator on exact decimals, driven
 * by keys so the panel, the buttons and the keyboard share one pure state machine.
 */
export type Operator = '+' | '-' | '*' | '/';
export type CalculatorKey = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '.' | Operator | '=' | 'C' | 'Backspace' | '±';

export interface CalculatorState {
  /** What the display shows: the number being typed or the last result. */
  display: string;
  /** Left operand waiting for the right one. */
  pending: { value: string; op: Operator } | null;
  /** The next digit starts a new number (after an operator or a result). */
  fresh: boolean;
  error: 'divide_by_zero' | 'overflow' | null;
}

export const INITIAL_CALCULATOR: CalculatorState = { display: '0', pending: null, fresh: true, error: null };

const MAX_DIGITS = 16;
const MAX_RESULT_LENGTH = 24;

function apply(left: string, op: Operator, right: string): Decimal {
  const a = parseDecimal(left);
  const b = parseDecimal(right);
  switch (op) {
    case '+':
      return add(a, b);
    case '-':
      return subtract(a, b);
    case '*':
      return multiply(a, b);
    case '/':
      return divide(a, b);
  }
}

function compute(state: CalculatorState): CalculatorState {
  if (!state.pending) return { ...state, fresh: true };
  try {
    const result = formatDecimal(apply(state.pending.value, state.pending.op, state.display));
    if (result.replace(/[-.]/g, '').length > MAX_RESULT_LENGTH) return { ...INITIAL_CALCULATOR, error: 'overflow' };
    return { display: result, pending: null, fresh: true, error: null };
  } catch (error) {
    if (error instanceof DecimalError) return { ...INITIAL_CALCULATOR, error: 'divide_by_zero' };
    throw error;
  }
}

export function pressKey(state: CalculatorState, key: CalculatorKey): CalculatorState {
  if (key === 'C') return INITIAL_CALCULATOR;
  if (state.error && key !== 'Backspace') state = INITIAL_CALCULATOR;
  if (/^\d$/.test(key)) {
    if (state.fresh) return { ...state, display: key, fresh: false, error: null };
    if (state.display.replace(/[-.]/g, '').length >= MAX_DIGITS) return state;
    return { ...state, display: state.display === '0' ? key : state.display === '-0' ? `-${key}` : state.display + key };
  }
  switch (key) {
    case '.':
      if (state.fresh) return { ...state, display: '0.', fresh: false, error: null };
      return state.display.includes('.') ? state : { ...state, display: state.display + '.' };
    case 'Backspace': {
      if (state.error) return INITIAL_CALCULATOR;
      if (state.fresh) return state;
      const shorter = state.display.slice(0, -1);
      return { ...state, display: shorter === '' || shorter === '-' ? '0' : shorter };
    }
    case '±':
      if (state.display === '0') return state;
      return { ...state, display: state.display.startsWith('-') ? state.display.slice(1) : `-${state.display}` };
    case '=':
      return compute(state);
    default: {
      // an operator: chain (1 + 2 + → 3 +), or replace the operator just typed
      const op = key as Operator;
      if (state.pending && state.fresh) return { ...state, pending: { ...state.pending, op } };
      const base = state.pending ? compute(state) : state;
      if (base.error) return base;
      return { ...base, pending: { value: base.display.replace(/\.$/, ''), op }, fresh: true };
    }
  }
}

/** Keyboard → calculator key; null for keys the calculator does not take. */
export function calculatorKeyOf(e: { key: string; ctrlKey?: boolean; metaKey?: boolean; altKey?: boolean }): CalculatorKey | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (/^\d$/.test(e.key) || ['.', '+', '-', '*', '/', 'Backspace'].includes(e.key)) return e.key as CalculatorKey;
  if (e.key === ',') return '.';
  if (e.key === 'x' || e.key === 'X' || e.key === '×') return '*';
  if (e.key === '÷') return '/';
  if (e.key === 'Enter' || e.key === '=') return '=';
  if (e.key === 'Delete') return 'C';
  return null;
}

/** The expression shown above the display, e.g. "12 ×". */
export function pendingText(state: CalculatorState): string {
  if (!state.pending) return '';
  const symbol = { '+': '+', '-': '−', '*': '×', '/': '÷' }[state.pending.op];
  return `${state.pending.value} ${symbol}`;
}
