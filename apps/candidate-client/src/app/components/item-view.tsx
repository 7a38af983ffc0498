import { ItemTypeLabel, isCaseItem, type AnswerValue, type Item, type RequirementAnswer } from '@kaowu/contracts';
import { useLanguage } from '@kaowu/ui';
import { ANSWER_FIELD_ATTR } from '../tools/answer-field';
import { isAnswered } from './answers';
import { CaseItemView } from './case-item-view';
import type { Highlights } from './material-view';
import { useT } from './use-t';

interface Props {
  item: Item;
  value: AnswerValue | undefined;
  unsaved: boolean;
  readOnly: boolean;
  marked: boolean;
  highlights: Highlights;
  onHighlights: (next: Highlights) => void;
  onToggleMark: () => void;
  onChoose: (key: string) => void;
  onText: (text: string) => void;
  onPart: (reqId: string, answer: RequirementAnswer) => void;
  onPrev?: () => void;
  onNext?: () => void;
}

export function ItemView({ item, value, unsaved, readOnly, marked, highlights, onHighlights, onToggleMark, onChoose, onText, onPart, onPrev, onNext }: Props) {
  const t = useT();
  const { lang } = useLanguage();
  const titleId = `item-title-${item.itemId}`;
  return (
    <article className={`item-view is-${item.type}`} data-testid={`item-${item.itemId}`} aria-labelledby={titleId}>
      <header>
        <h2 id={titleId}>{t('exam.itemNo', { no: item.no })}</h2>
        <span className="tag">{lang === 'en' ? ItemTypeLabel[item.type].en : ItemTypeLabel[item.type].zh}</span>
        <span className="tag">{t('exam.score', { score: item.score })}</span>
        <span className="spacer" />
        <span className={`item-save ${unsaved ? 'is-saving' : ''}`} data-testid="item-save-state">
          {unsaved ? t('exam.saving') : isAnswered(value) ? t('exam.saved') : ''}
        </span>
        <button type="button" className={`mark-toggle ${marked ? 'is-marked' : ''}`} aria-pressed={marked} title={t('exam.markHint')} onClick={onToggleMark} data-testid="mark-toggle">
          <span aria-hidden="true">?</span> {t('exam.mark')}
        </button>
      </header>
      <p className="stem">{item.stem}</p>
      {isCaseItem(item) ? (
        <CaseItemView item={item} value={value} readOnly={readOnly} highlights={highlights} onHighlights={onHighlights} onPart={onPart} />
      ) : item.type === 'text' ? (
        <TextAnswer maxLength={item.maxLength} value={value} readOnly={readOnly} labelId={titleId} onText={onText} />
      ) : (
        <>
          {item.type === 'multiple' && <p className="hint">{t('exam.multipleHint')}</p>}
          <div className={`options is-${item.type}`} role="group" aria-label={t('exam.options')}>
            {item.options.map((option) => {
              const isSelected = value?.kind === 'choice' && value.selected.includes(option.key);
              return (
                <button
                  key={option.key}
                  type="button"
                  className={`option ${isSelected ? 'is-selected' : ''}`}
                  aria-pressed={isSelected}
                  disabled={readOnly}
                  onClick={() => onChoose(option.key)}
                >
                  <span className="option-key">{option.key}</span> <span className="option-text">{option.text}</span>
                </button>
              );
            })}
          </div>
        </>
      )}
      <footer>
        <button type="button" onClick={onPrev} disabled={!onPrev}>
          {t('exam.prev')}
        </button>
        <button type="button" onClick={onNext} disabled={!onNext}>
          {t('exam.next')}
        </button>
      </footer>
    </article>
  );
}

function TextAnswer({ maxLength, value, readOnly, labelId, onText }: { maxLength: number; value: AnswerValue | undefined; readOnly: boolean; labelId: string; onText: (text: string) => void }) {
  const t = useT();
  const text = value?.kind === 'text' ? value.text : '';
  return (
    <div className="text-answer">
      <textarea
        {...{ [ANSWER_FIELD_ATTR]: '' }}
        aria-labelledby={labelId}
        placeholder={t('exam.textPlaceholder')}
        value={text}
        maxLength={maxLength}
        disabled={readOnly}
        onChange={(e) => onText(e.target.value)}
      />
      <span className="hint">{t('exam.chars', { count: text.length, max: maxLength })}</span>
    </div>
  );
}
