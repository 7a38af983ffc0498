import { ItemTypeLabel, type AnswerValue, type Item } from '@kaowu/contracts';
import { useLanguage } from '@kaowu/ui';
import { isAnswered } from './answers';
import { useT } from './use-t';

interface Props {
  item: Item;
  value: AnswerValue | undefined;
  unsaved: boolean;
  readOnly: boolean;
  onChoose: (key: string) => void;
  onText: (text: string) => void;
  onPrev?: () => void;
  onNext?: () => void;
}

export function ItemView({ item, value, unsaved, readOnly, onChoose, onText, onPrev, onNext }: Props) {
  const t = useT();
  const { lang } = useLanguage();
  const selected = value?.kind === 'choice' ? value.selected : [];
  const text = value?.kind === 'text' ? value.text : '';
  const titleId = `item-title-${item.itemId}`;
  return (
    <article className="item-view" data-testid={`item-${item.itemId}`} aria-labelledby={titleId}>
      <header>
        <h2 id={titleId}>{t('exam.itemNo', { no: item.no })}</h2>
        <span className="tag">{lang === 'en' ? ItemTypeLabel[item.type].en : ItemTypeLabel[item.type].zh}</span>
        <span className="tag">{t('exam.score', { score: item.score })}</span>
        <span className="spacer" />
        <span className={`item-save ${unsaved ? 'is-saving' : ''}`} data-testid="item-save-state">
          {unsaved ? t('exam.saving') : isAnswered(value) ? t('exam.saved') : ''}
        </span>
      </header>
      <p className="stem">{item.stem}</p>
      {item.type === 'multiple' && <p className="hint">{t('exam.multipleHint')}</p>}
      {item.type === 'text' ? (
        <div className="text-answer">
          <textarea
            aria-labelledby={titleId}
            placeholder={t('exam.textPlaceholder')}
            value={text}
            maxLength={item.maxLength}
            disabled={readOnly}
            onChange={(e) => onText(e.target.value)}
          />
          <span className="hint">{t('exam.chars', { count: text.length, max: item.maxLength })}</span>
        </div>
      ) : (
        <div className={`options is-${item.type}`} role="group" aria-label={t('exam.options')}>
          {item.options.map((option) => {
            const isSelected = selected.includes(option.key);
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
