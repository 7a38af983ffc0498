import { ItemTypeLabel, type AnswerValue, type Item } from '@kaowu/contracts';
import { useLanguage } from '@kaowu/ui';
import { useMemo } from 'react';
import { groupByType, isAnswered, sectionOrdinal } from './answers';
import { useT } from './use-t';

interface Props {
  items: readonly Item[];
  answers: Readonly<Record<string, AnswerValue>>;
  unsavedItems: ReadonlySet<string>;
  marked: ReadonlySet<string>;
  currentId: string;
  onJump: (itemId: string) => void;
}

/**
 * 题目列表: numbers grouped by type (each group collapsible), `*` unanswered, `?` marked for
 * review; click to jump.
 */
export function QuestionNav({ items, answers, unsavedItems, marked, currentId, onJump }: Props) {
  const t = useT();
  const { lang } = useLanguage();
  const groups = useMemo(() => groupByType(items), [items]);
  return (
    <nav className="question-nav" aria-label={t('exam.nav')} id="question-nav">
      {groups.map((group, index) => (
        <details key={group.type} open>
          <summary>
            <h2>
              {lang === 'en' ? `${index + 1}. ` : `${sectionOrdinal(index)}、`}
              {lang === 'en' ? ItemTypeLabel[group.type].en : ItemTypeLabel[group.type].zh}
              <small> {t('exam.groupCount', { count: group.items.length })}</small>
            </h2>
          </summary>
          <ol>
            {group.items.map((item) => {
              const answered = isAnswered(answers[item.itemId]);
              const isMarked = marked.has(item.itemId);
              const classes = ['nav-item', answered ? 'is-answered' : 'is-unanswered', isMarked ? 'is-marked' : '', unsavedItems.has(item.itemId) ? 'is-saving' : ''];
              const state = t(answered ? 'exam.answered' : 'exam.unanswered');
              return (
                <li key={item.itemId}>
                  <button
                    type="button"
                    className={classes.filter(Boolean).join(' ')}
                    data-testid={`nav-${item.itemId}`}
                    aria-current={item.itemId === currentId ? 'step' : undefined}
                    aria-label={t(isMarked ? 'exam.navItemMarked' : 'exam.navItem', { no: item.no, state })}
                    onClick={() => onJump(item.itemId)}
                  >
                    {item.no}
                    {!answered && <span className="mark">*</span>}
                    {isMarked && <span className="mark is-review">?</span>}
                  </button>
                </li>
              );
            })}
          </ol>
        </details>
      ))}
      <p className="legend">{t('exam.legend')}</p>
    </nav>
  );
}
