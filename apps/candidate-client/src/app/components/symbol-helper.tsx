import { useState } from 'react';
import { useT } from './use-t';

const SYMBOLS = ['×', '÷', '±', '≤', '≥', '≠', '≈', '√', '%', '‰', '²', '³', '（', '）'];

interface Props {
  onInsert: (text: string) => boolean;
  onScript: (kind: 'sup' | 'sub') => boolean;
}

/**
 * 公式与符号: writes into the answer field used last, at its caret. The buttons do not take
 * focus on a mouse click, so the caret (and a selection to convert) stays where it was.
 */
export function SymbolHelper({ onInsert, onScript }: Props) {
  const t = useT();
  const [missing, setMissing] = useState(false);
  const keepFocus = (e: React.MouseEvent) => e.preventDefault();
  const run = (ok: boolean) => setMissing(!ok);
  return (
    <section className="symbols" aria-label={t('symbols.title')} data-testid="symbols">
      <div className="symbol-keys" role="group" aria-label={t('symbols.title')}>
        {SYMBOLS.map((symbol) => (
          <button key={symbol} type="button" aria-label={t('symbols.insert', { symbol })} onMouseDown={keepFocus} onClick={() => run(onInsert(symbol))}>
            {symbol}
          </button>
        ))}
        <button type="button" onMouseDown={keepFocus} onClick={() => run(onScript('sup'))}>
          x<sup>n</sup> {t('symbols.sup')}
        </button>
        <button type="button" onMouseDown={keepFocus} onClick={() => run(onScript('sub'))}>
          x<sub>n</sub> {t('symbols.sub')}
        </button>
      </div>
      <p className={missing ? 'warn' : 'hint'} role={missing ? 'status' : undefined}>
        {missing ? t('symbols.noField') : t('symbols.hint')}
      </p>
    </section>
  );
}
