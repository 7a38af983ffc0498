import { describe, expect, it } from 'vitest';
import { isAmountValid, journalTotals } from './journal';

describe('journal entry checks', () => {
  it('takes money with at most two decimals (or a blank while drafting)', () => {
    for (const ok of ['', '0', '226', '1130.5', '1130.50', '-20.00']) expect(isAmountValid(ok)).toBe(true);
    for (const bad of ['12.345', '1,130', 'abc', '1.2.3', '.5', '一百']) expect(isAmountValid(bad)).toBe(false);
  });

  it('adds both sides to the cent and says whether they balance', () => {
    const entry = [
      { side: 'debit' as const, amount: '226' },
      { side: 'credit' as const, amount: '200' },
      { side: 'credit' as const, amount: '26.00' },
    ];
    expect(journalTotals(entry)).toEqual({ debit: '226.00', credit: '226.00', balanced: true });
    expect(journalTotals([...entry, { side: 'debit', amount: '0.1' }, { side: 'credit', amount: '0.2' }]).balanced).toBe(false);
    // a malformed amount is left out of the totals (it is flagged on its row)
    expect(journalTotals([{ side: 'debit', amount: '1.234' }])).toEqual({ debit: '0.00', credit: '0.00', balanced: false });
  });
});
