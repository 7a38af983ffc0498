import type { MaterialBlock } from '@kaowu/contracts';
import { useRef } from 'react';
import { addSpan, segments, spanIn, type Span } from '../tools/highlight';
import { useT } from './use-t';

export type Highlights = Readonly<Record<string, readonly Span[]>>;

function Marked({ id, text, spans }: { id: string; text: string; spans?: readonly Span[] }) {
  return (
    <span data-hl={id}>
      {segments(text, spans).map((s, i) => (s.marked ? <mark key={i}>{s.text}</mark> : s.text))}
    </span>
  );
}

/**
 * 资料区: read-only material (paragraphs and tables). The candidate may select text here to
 * highlight it; copying out of it is refused by the clipboard guard.
 */
export function MaterialView({ blocks, labelId, highlights, onHighlights }: { blocks: readonly MaterialBlock[]; labelId: string; highlights: Highlights; onHighlights: (next: Highlights) => void }) {
  const t = useT();
  const root = useRef<HTMLDivElement>(null);

  const highlight = () => {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed || !root.current) return;
    const range = selection.getRangeAt(0);
    const next: Record<string, readonly Span[]> = { ...highlights };
    for (const el of root.current.querySelectorAll<HTMLElement>('[data-hl]')) {
      const span = spanIn(el, range);
      const id = el.dataset.hl;
      if (span && id) next[id] = addSpan(next[id] ?? [], span);
    }
    onHighlights(next);
    selection.removeAllRanges();
  };

  return (
    <section className="material" aria-labelledby={labelId} data-testid="material">
      <header>
        <h3 id={labelId}>{t('case.material')}</h3>
        <span className="spacer" />
        {/* mousedown would move focus and may drop the selection to highlight */}
        <button type="button" onMouseDown={(e) => e.preventDefault()} onClick={highlight} title={t('case.highlightHint')}>
          <mark aria-hidden="true">A</mark> {t('case.highlight')}
        </button>
        <button type="button" onClick={() => onHighlights({})} disabled={Object.keys(highlights).length === 0}>
          {t('case.clearHighlight')}
        </button>
      </header>
      <div className="material-body" ref={root}>
        {blocks.map((block, b) =>
          block.kind === 'paragraph' ? (
            <p key={b}>
              <Marked id={`${b}`} text={block.text} spans={highlights[`${b}`]} />
            </p>
          ) : (
            <table key={b} className="material-table">
              {block.caption && (
                <caption>
                  <Marked id={`${b}-c`} text={block.caption} spans={highlights[`${b}-c`]} />
                </caption>
              )}
              <thead>
                <tr>
                  {block.header.map((h, c) => (
                    <th key={c} scope="col">
                      <Marked id={`${b}-h${c}`} text={h} spans={highlights[`${b}-h${c}`]} />
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {block.rows.map((row, r) => (
                  <tr key={r}>
                    {row.map((cell, c) => (
                      <td key={c}>
                        <Marked id={`${b}-${r}-${c}`} text={cell} spans={highlights[`${b}-${r}-${c}`]} />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          ),
        )}
      </div>
    </section>
  );
}
