import { ItemTypeLabel, type AnswerValue, type Item } from '@kaowu/contracts';
import { useLanguage } from '@kaowu/ui';
import { useMemo } from 'react';
import { groupByType, isAnswered, sectionOrdinal } from './answers';
import { useT } from './use-t';

interface Props {
  items: readonly Item[];
  answers: Readonly<Record<string, AnswerValue>>;
  unsavedItems: ReadonlySet<string>;
  currentId: string;
  onJump: (itemId: string) => void;
}

export function QuestionNav({ items, answers, unsavedItems, currentId, onJump }: Props) {
  const t = useT();
  const { lang } = useLanguage();
  const groups = useMemo(() => groupByType(items), [items]);
  return (
    <nav className="question-nav" aria-label={t('exam.nav')}>
      {groups.map((group, index) => (
        <section key={group.type}>
          <h2>
            {lang === 'en' ? `${index + 1}. ` : `${sectionOrdinal(index)}、`}
            {lang === 'en' ? ItemTypeLabel[group.type].en : ItemTypeLabel[group.type].zh}
            <small> {t('exam.groupCount', { count: group.items.length })}</small>
          </h2>
          <ol>
            {group.items.map((item) => {
              const answered = isAnswered(answers[item.itemId]);
              const classes = ['nav-item', answered ? 'is-answered' : 'is-unanswered', unsavedItems.has(item.itemId) ? 'is-saving' : ''];
              return (
                <li key={item.itemId}>
                  <button
                    type="button"
                    className={classes.filter(Boolean).join(' ')}
                    data-testid={`nav-${item.itemId}`}
                    aria-current={item.itemId === currentId ? 'step' : undefined}
                    aria-label={t('exam.navItem', { no: item.no, state: t(answered ? 'exam.answered' : 'exam.unanswered') })}
                    onClick={() => onJump(item.itemId)}
                  >
                    {item.no}
                    {!answered && <span className="mark">*</span>}
                  </button>
                </li>
              );
            })}
          </ol>
        </section>
      ))}
      <p className="legend">{t('exam.legend')}</p>
    </nav>
  );
}
