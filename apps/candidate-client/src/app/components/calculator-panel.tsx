import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { INITIAL_CALCULATOR, calculatorKeyOf, pendingText, pressKey, type CalculatorKey } from '../tools/calculator-state';
import type { MessageKey } from '../messages';
import { useT } from './use-t';

interface Props {
  onClose: () => void;
  /** Put the result into the answer field used last; false when there is none. */
  onInsert: (text: string) => boolean;
}

const KEYS: { key: CalculatorKey; label: string; name: MessageKey | null; wide?: boolean; op?: boolean }[] = [
  { key: 'C', label: 'C', name: 'calc.clear' },
  { key: 'Backspace', label: '⌫', name: 'calc.backspace' },
  { key: '±', label: '±', name: 'calc.negate' },
  { key: '/', label: '÷', name: 'calc.divide', op: true },
  { key: '7', label: '7', name: null },
  { key: '8', label: '8', name: null },
  { key: '9', label: '9', name: null },
  { key: '*', label: '×', name: 'calc.times', op: true },
  { key: '4', label: '4', name: null },
  { key: '5', label: '5', name: null },
  { key: '6', label: '6', name: null },
  { key: '-', label: '−', name: 'calc.minus', op: true },
  { key: '1', label: '1', name: null },
  { key: '2', label: '2', name: null },
  { key: '3', label: '3', name: null },
  { key: '+', label: '+', name: 'calc.plus', op: true },
  { key: '0', label: '0', name: null, wide: true },
  { key: '.', label: '.', name: 'calc.point' },
  { key: '=', label: '=', name: 'calc.equals', op: true },
];

/** 计算器: a panel beside the paper; keys work while focus is anywhere in it. */
export function CalculatorPanel({ onClose, onInsert }: Props) {
  const t = useT();
  const [state, setState] = useState(INITIAL_CALCULATOR);
  const panel = useRef<HTMLElement>(null);

  useEffect(() => {
    panel.current?.focus();
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    // Never interfere with an input method composing text.
    if (e.nativeEvent.isComposing || e.keyCode === 229) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      if (state === INITIAL_CALCULATOR || (state.display === '0' && !state.pending && !state.error)) onClose();
      else setState(INITIAL_CALCULATOR);
      return;
    }
    const key = calculatorKeyOf(e);
    // Enter on a focused button presses that button, as everywhere else.
    if (!key || (key === '=' && e.key === 'Enter' && e.target instanceof HTMLButtonElement && e.target.dataset.calcKey !== undefined)) return;
    e.preventDefault();
    e.stopPropagation();
    setState((s) => pressKey(s, key));
  };

  const shown = state.error ? t(state.error === 'divide_by_zero' ? 'calc.divideByZero' : 'calc.overflow') : state.display;
  return (
    <aside className="calculator" data-own-keys aria-label={t('calc.title')} ref={panel} tabIndex={-1} onKeyDown={onKeyDown} data-testid="calculator">
      <header>
        <h2>{t('calc.title')}</h2>
        <button type="button" className="icon" aria-label={t('calc.close')} onClick={onClose}>
          ×
        </button>
      </header>
      <div className="calc-screen">
        <div className="calc-pending" aria-hidden="true">
          {pendingText(state)}
        </div>
        <output className={`calc-display ${state.error ? 'is-error' : ''}`} aria-live="polite" aria-label={t('calc.display')} data-testid="calc-display">
          {shown}
        </output>
      </div>
      <div className="calc-keys">
        {KEYS.map((k) => (
          <button
            key={k.key}
            type="button"
            data-calc-key={k.key}
            className={[k.wide ? 'wide' : '', k.op ? 'op' : ''].filter(Boolean).join(' ') || undefined}
            aria-label={k.name ? t(k.name) : undefined}
            onClick={() => setState((s) => pressKey(s, k.key))}
          >
            {k.label}
          </button>
        ))}
      </div>
      <button type="button" className="calc-insert" disabled={Boolean(state.error)} onClick={() => onInsert(state.display)}>
        {t('calc.insert')}
      </button>
      <p className="hint">{t('calc.keys')}</p>
    </aside>
  );
}
