import type { JournalRow, RequirementAnswer, RequirementAnswerSpec } from '@kaowu/contracts';
import { isNumericText } from '@kaowu/exam-domain';
import { useState } from 'react';
import { isAmountValid, journalTotals } from '../tools/journal';
import { ANSWER_FIELD_ATTR } from '../tools/answer-field';
import { useT } from './use-t';

interface Props<K extends RequirementAnswer['kind']> {
  spec: Extract<RequirementAnswerSpec, { kind: K }>;
  value: Extract<RequirementAnswer, { kind: K }> | undefined;
  /** Id of the requirement's prompt, which labels the answer area. */
  labelId: string;
  readOnly: boolean;
  onChange: (answer: Extract<RequirementAnswer, { kind: K }>) => void;
}

const field = { [ANSWER_FIELD_ATTR]: '' };

/** The answer area of one requirement 要求(n), by its answer kind. */
export function RequirementAnswerView({ spec, value, labelId, readOnly, onChange }: Props<RequirementAnswer['kind']>) {
  // The spec decides the kind; an answer of another kind (never sent by this client) is ignored.
  const v = value?.kind === spec.kind ? value : undefined;
  switch (spec.kind) {
    case 'text':
      return <TextPart spec={spec} value={v as TextAnswer | undefined} labelId={labelId} readOnly={readOnly} onChange={onChange} />;
    case 'numeric':
      return <NumericPart spec={spec} value={v as NumericAnswer | undefined} labelId={labelId} readOnly={readOnly} onChange={onChange} />;
    case 'table':
      return <TablePart spec={spec} value={v as TableAnswer | undefined} labelId={labelId} readOnly={readOnly} onChange={onChange} />;
    case 'journal':
      return <JournalGrid spec={spec} value={v as JournalAnswer | undefined} labelId={labelId} readOnly={readOnly} onChange={onChange} />;
  }
}

type TextAnswer = Extract<RequirementAnswer, { kind: 'text' }>;
type NumericAnswer = Extract<RequirementAnswer, { kind: 'numeric' }>;
type TableAnswer = Extract<RequirementAnswer, { kind: 'table' }>;
type JournalAnswer = Extract<RequirementAnswer, { kind: 'journal' }>;

function TextPart({ spec, value, labelId, readOnly, onChange }: Props<'text'>) {
  const t = useT();
  const text = value?.text ?? '';
  return (
    <div className="text-answer">
      <textarea
        {...field}
        aria-labelledby={labelId}
        placeholder={t('exam.textPlaceholder')}
        value={text}
        maxLength={spec.maxLength}
        disabled={readOnly}
        onChange={(e) => onChange({ kind: 'text', text: e.target.value })}
      />
      <span className="hint">{t('exam.chars', { count: text.length, max: spec.maxLength })}</span>
    </div>
  );
}

/**
 * Numbers are typed as text (inputmode decimal) so the caret, the IME and the symbol helper all
 * work; a value that is not a number stays on screen with a message and is not sent.
 */
function NumericPart({ spec, value, labelId, readOnly, onChange }: Props<'numeric'>) {
  const t = useT();
  const [draft, setDraft] = useState<Record<string, string>>({});
  const saved = value?.values ?? {};
  return (
    <div className="numeric-answer" role="group" aria-labelledby={labelId}>
      {spec.fields.map((f) => {
        const id = `${labelId}-${f.key}`;
        const shown = draft[f.key] ?? saved[f.key] ?? '';
        const invalid = f.key in draft;
        return (
          <div key={f.key} className="numeric-field">
            <label htmlFor={id}>{f.label}</label>
            <input
              {...field}
              id={id}
              type="text"
              inputMode="decimal"
              autoComplete="off"
              maxLength={24}
              value={shown}
              disabled={readOnly}
              aria-invalid={invalid || undefined}
              aria-describedby={invalid ? `${id}-error` : undefined}
              onChange={(e) => {
                const raw = e.target.value.trim();
                if (raw === '' || isNumericText(raw)) {
                  setDraft(({ [f.key]: _, ...rest }) => rest);
                  onChange({ kind: 'numeric', values: { ...saved, [f.key]: raw } });
                } else setDraft((d) => ({ ...d, [f.key]: e.target.value }));
              }}
            />
            {f.unit && <span className="unit">{f.unit}</span>}
            {invalid && (
              <span id={`${id}-error`} className="field-error" role="alert">
                {t('case.numberInvalid')}
              </span>
            )}
          </div>
        );
      })}
    </div>
  );
}

/** Header of an answer grid: row number, the columns, and the delete-row column. */
function GridHead({ labels }: { labels: readonly string[] }) {
  const t = useT();
  return (
    <thead>
      <tr>
        <th scope="col" className="row-no">
          #
        </th>
        {labels.map((label, i) => (
          <th key={i} scope="col">
            {label}
          </th>
        ))}
        <th scope="col">
          <span className="sr-only">{t('case.removeRow', { row: '' })}</span>
        </th>
      </tr>
    </thead>
  );
}

function TablePart({ spec, value, labelId, readOnly, onChange }: Props<'table'>) {
  const t = useT();
  const width = spec.columns.length;
  const rows = value?.rows.length ? value.rows : [Array<string>(width).fill('')];
  const set = (next: string[][]) => onChange({ kind: 'table', rows: next });
  return (
    <div className="table-answer">
      <table aria-labelledby={labelId}>
        <GridHead labels={spec.columns.map((c) => c.label)} />
        <tbody>
          {rows.map((row, r) => (
            <tr key={r}>
              <th scope="row" className="row-no">
                {r + 1}
              </th>
              {spec.columns.map((c, ci) => (
                <td key={c.key}>
                  <input
                    {...field}
                    type="text"
                    maxLength={200}
                    aria-label={`${t('case.row', { row: r + 1 })} ${c.label}`}
                    value={row[ci] ?? ''}
                    disabled={readOnly}
                    onChange={(e) => set(rows.map((x, i) => (i === r ? spec.columns.map((_, k) => (k === ci ? e.target.value : (x[k] ?? ''))) : x)))}
                  />
                </td>
              ))}
              <td>
                <button type="button" className="icon" aria-label={t('case.removeRow', { row: r + 1 })} disabled={readOnly || rows.length <= 1} onClick={() => set(rows.filter((_, i) => i !== r))}>
                  −
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={() => set([...rows, Array<string>(width).fill('')])} disabled={readOnly || rows.length >= spec.maxRows}>
        + {t('case.addRow')}
      </button>
      <span className="hint"> {t('case.maxRows', { max: spec.maxRows })}</span>
    </div>
  );
}

const EMPTY_ENTRY: JournalRow[] = [
  { side: 'debit', account: '', amount: '' },
  { side: 'credit', account: '', amount: '' },
];

/**
 * 会计分录 grid: 借/贷, account, amount per row; rows can be added and removed. Amounts must be
 * money (at most two decimals). While an amount is malformed the grid keeps the candidate's
 * rows on screen, marks the amount and sends nothing; the last valid entry stays saved.
 */
export function JournalGrid({ spec, value, labelId, readOnly, onChange }: Props<'journal'>) {
  const t = useT();
  const [draft, setDraft] = useState<JournalRow[] | null>(null);
  const rows = draft ?? (value?.rows.length ? value.rows : EMPTY_ENTRY);
  const update = (next: JournalRow[]) => {
    if (next.every((r) => isAmountValid(r.amount))) {
      setDraft(null);
      onChange({ kind: 'journal', rows: next.map((r) => ({ ...r, amount: r.amount.trim() })) });
    } else setDraft(next);
  };
  const change = (index: number, patch: Partial<JournalRow>) => update(rows.map((r, i) => (i === index ? { ...r, ...patch } : r)));
  const totals = journalTotals(rows);
  const anyAmount = rows.some((r) => r.amount.trim() !== '');
  return (
    <div className="journal">
      <table className="journal-grid" aria-labelledby={labelId} data-testid="journal-grid">
        <GridHead labels={[t('journal.side'), t('journal.account'), t('journal.amount')]} />
        <tbody>
          {rows.map((row, i) => {
            const invalid = !isAmountValid(row.amount);
            const rowLabel = t('case.row', { row: i + 1 });
            const errorId = `${labelId}-row${i}-error`;
            return (
              <tr key={i} className={row.side === 'credit' ? 'is-credit' : 'is-debit'}>
                <th scope="row" className="row-no">
                  {i + 1}
                </th>
                <td>
                  <select aria-label={`${rowLabel} ${t('journal.side')}`} value={row.side} disabled={readOnly} onChange={(e) => change(i, { side: e.target.value === 'credit' ? 'credit' : 'debit' })}>
                    <option value="debit">{t('journal.debit')}</option>
                    <option value="credit">{t('journal.credit')}</option>
                  </select>
                </td>
                <td>
                  <input {...field} type="text" maxLength={60} aria-label={`${rowLabel} ${t('journal.account')}`} value={row.account} disabled={readOnly} onChange={(e) => change(i, { account: e.target.value })} />
                </td>
                <td>
                  <input
                    {...field}
                    type="text"
                    inputMode="decimal"
                    autoComplete="off"
                    maxLength={20}
                    className="amount"
                    aria-label={`${rowLabel} ${t('journal.amount')}`}
                    aria-invalid={invalid || undefined}
                    aria-describedby={invalid ? errorId : undefined}
                    value={row.amount}
                    disabled={readOnly}
                    onChange={(e) => change(i, { amount: e.target.value })}
                  />
                  {invalid && (
                    <span id={errorId} className="field-error" role="alert">
                      {t('journal.amountInvalid')}
                    </span>
                  )}
                </td>
                <td>
                  <button type="button" className="icon" aria-label={t('case.removeRow', { row: i + 1 })} disabled={readOnly || rows.length <= 1} onClick={() => update(rows.filter((_, k) => k !== i))}>
                    −
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="journal-footer">
        <button type="button" onClick={() => update([...rows, { side: rows.at(-1)?.side ?? 'debit', account: '', amount: '' }])} disabled={readOnly || rows.length >= spec.maxRows}>
          + {t('case.addRow')}
        </button>
        <span className="hint">{t('case.maxRows', { max: spec.maxRows })}</span>
        <span className="spacer" />
        {anyAmount && (
          <span className={`journal-totals ${totals.balanced ? 'is-balanced' : 'is-unbalanced'}`} data-testid="journal-totals">
            {t('journal.totals', { debit: totals.debit, credit: totals.credit })} · {t(totals.balanced ? 'journal.balanced' : 'journal.unbalanced')}
          </span>
        )}
      </div>
    </div>
  );
}
