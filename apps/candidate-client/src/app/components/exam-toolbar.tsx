import { useT } from './use-t';

export type FontSize = 'small' | 'medium' | 'large';
const FONT_SIZES: FontSize[] = ['small', 'medium', 'large'];
const ZOOM_MIN = 75;
const ZOOM_MAX = 200;
const ZOOM_STEP = 25;

interface Props {
  navOpen: boolean;
  onToggleNav: () => void;
  fontSize: FontSize;
  onFontSize: (size: FontSize) => void;
  zoom: number;
  onZoom: (percent: number) => void;
  calculatorOpen: boolean;
  onToggleCalculator: () => void;
  symbolsOpen: boolean;
  onToggleSymbols: () => void;
  disabled: boolean;
}

/** Under the title bar: question list, font size, zoom, calculator, formula and symbol helper. */
export function ExamToolbar(p: Props) {
  const t = useT();
  return (
    <div className="toolbar" role="group" aria-label={t('exam.tools')}>
      <button type="button" aria-expanded={p.navOpen} aria-controls="question-nav" onClick={p.onToggleNav}>
        ☰ {t('exam.toggleNav')}
      </button>
      <span className="tool-group" role="group" aria-label={t('exam.fontSize')}>
        <span aria-hidden="true">{t('exam.fontSize')}</span>
        {FONT_SIZES.map((size) => (
          <button key={size} type="button" aria-pressed={p.fontSize === size} aria-label={`${t('exam.fontSize')} ${t(`exam.font.${size}`)}`} onClick={() => p.onFontSize(size)}>
            {t(`exam.font.${size}`)}
          </button>
        ))}
      </span>
      <span className="tool-group" role="group" aria-label={t('exam.zoom')}>
        <span aria-hidden="true">{t('exam.zoom')}</span>
        <button type="button" aria-label={t('exam.zoomOut')} disabled={p.zoom <= ZOOM_MIN} onClick={() => p.onZoom(Math.max(ZOOM_MIN, p.zoom - ZOOM_STEP))}>
          −
        </button>
        <button type="button" aria-label={t('exam.zoomReset')} onClick={() => p.onZoom(100)} data-testid="zoom">
          {p.zoom}%
        </button>
        <button type="button" aria-label={t('exam.zoomIn')} disabled={p.zoom >= ZOOM_MAX} onClick={() => p.onZoom(Math.min(ZOOM_MAX, p.zoom + ZOOM_STEP))}>
          +
        </button>
      </span>
      <span className="spacer" />
      <button type="button" aria-pressed={p.symbolsOpen} onClick={p.onToggleSymbols} disabled={p.disabled}>
        Σ {t('exam.symbols')}
      </button>
      <button type="button" aria-pressed={p.calculatorOpen} onClick={p.onToggleCalculator} disabled={p.disabled}>
        ▦ {t('exam.calculator')}
      </button>
    </div>
  );
}
