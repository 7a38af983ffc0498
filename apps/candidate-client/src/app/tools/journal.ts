import { isMoney } from '@kaowu/exam-domain';
import type { JournalRow } from '@kaowu/contracts';
import { ZERO, add, formatMoney, parseDecimal, subtract, isZero } from './decimal';

/** 会计分录 rules the grid checks while the candidate types. */
export const isAmountValid = (raw: string): boolean => raw === '' || isMoney(raw.trim());

export interface JournalTotals {
  debit: string;
  credit: string;
  /** 借贷平衡: both sides add up to the same amount (and something was entered). */
  balanced: boolean;
}

/** 借方合计 / 贷方合计 over the rows with a valid amount, exact to the cent. */
export function journalTotals(rows: readonly Pick<JournalRow, 'side' | 'amount'>[]): JournalTotals {
  let debit = ZERO;
  let credit = ZERO;
  for (const row of rows) {
    const raw = row.amount.trim();
    if (raw === '' || !isMoney(raw)) continue;
    if (row.side === 'debit') debit = add(debit, parseDecimal(raw));
    else credit = add(credit, parseDecimal(raw));
  }
  return { debit: formatMoney(debit), credit: formatMoney(credit), balanced: !isZero(debit) && isZero(subtract(debit, credit)) };
}
