import type { AnswerValue, CaseItem, RequirementAnswer } from '@kaowu/contracts';
import { isRequirementAnswerEmpty } from '@kaowu/exam-domain';
import { useRef, useState, type KeyboardEvent } from 'react';
import { partOf } from './answers';
import { MaterialView, type Highlights } from './material-view';
import { RequirementAnswerView } from './requirement-answer';
import { useT } from './use-t';

interface Props {
  item: CaseItem;
  value: AnswerValue | undefined;
  readOnly: boolean;
  highlights: Highlights;
  onHighlights: (next: Highlights) => void;
  onPart: (reqId: string, answer: RequirementAnswer) => void;
}

/** 计算分析题 / 综合题: 资料区 above, 要求(1)(2)… as tabs, each with its own answer area below. */
export function CaseItemView({ item, value, readOnly, highlights, onHighlights, onPart }: Props) {
  const t = useT();
  const [active, setActive] = useState(0);
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const base = `case-${item.itemId}`;
  const req = item.requirements[Math.min(active, item.requirements.length - 1)];

  // Tabs pattern: ←/→/Home/End move between requirements.
  const onTabKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const last = item.requirements.length - 1;
    const next = e.key === 'ArrowRight' ? (active === last ? 0 : active + 1) : e.key === 'ArrowLeft' ? (active === 0 ? last : active - 1) : e.key === 'Home' ? 0 : e.key === 'End' ? last : null;
    if (next === null) return;
    e.preventDefault();
    e.stopPropagation();
    setActive(next);
    tabs.current[next]?.focus();
  };

  return (
    <div className="case-item">
      <MaterialView blocks={item.material} labelId={`${base}-material`} highlights={highlights} onHighlights={onHighlights} />
      <section className="answer-area" aria-label={t('case.answerArea')}>
        <div className="req-tabs" role="tablist" aria-label={t('case.requirements')} onKeyDown={onTabKey} data-own-keys>
          {item.requirements.map((r, i) => {
            const answered = !isRequirementAnswerEmpty(partOf(value, r.reqId));
            return (
              <button
                key={r.reqId}
                ref={(el) => {
                  tabs.current[i] = el;
                }}
                type="button"
                role="tab"
                id={`${base}-tab-${r.reqId}`}
                aria-selected={i === active}
                aria-controls={`${base}-panel`}
                tabIndex={i === active ? 0 : -1}
                className={answered ? 'is-answered' : undefined}
                onClick={() => setActive(i)}
              >
                {t('case.requirement', { no: i + 1 })}
                {answered && <span className="sr-only">，{t('case.answeredTab')}</span>}
                {answered && <span aria-hidden="true"> ✓</span>}
              </button>
            );
          })}
        </div>
        <div role="tabpanel" id={`${base}-panel`} aria-labelledby={`${base}-tab-${req.reqId}`} className="req-panel" data-testid={`req-${req.reqId}`}>
          <p className="req-prompt" id={`${base}-prompt-${req.reqId}`}>
            <strong>{t('case.requirement', { no: active + 1 })}</strong> {req.prompt}
          </p>
          <RequirementAnswerView
            key={req.reqId}
            spec={req.answer}
            value={partOf(value, req.reqId)}
            labelId={`${base}-prompt-${req.reqId}`}
            readOnly={readOnly}
            onChange={(answer) => onPart(req.reqId, answer)}
          />
        </div>
      </section>
    </div>
  );
}
