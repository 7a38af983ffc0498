import { AnswerValue, Item } from '@kaowu/contracts';
import { checkAnswerFitsItem, isAnswerEmpty, isMoney } from './answer-rules';

const single = Item.parse({ itemId: 'S1', no: 1, type: 'single', stem: '题干', score: 1.5, options: [{ key: 'A', text: '甲' }, { key: 'B', text: '乙' }] });
const text = Item.parse({ itemId: 'T1', no: 2, type: 'text', stem: '简述', score: 5, maxLength: 10 });
const calc = Item.parse({
  itemId: 'C1',
  no: 3,
  type: 'calculation',
  stem: '甲公司为增值税一般纳税人。',
  score: 11,
  material: [{ kind: 'paragraph', text: '资料一' }],
  requirements: [
    { reqId: 'r1', prompt: '计算应确认的收入', answer: { kind: 'numeric', fields: [{ key: 'revenue', label: '收入', unit: '万元' }] } },
    { reqId: 'r2', prompt: '编制会计分录', answer: { kind: 'journal', maxRows: 3 } },
    { reqId: 'r3', prompt: '填表', answer: { kind: 'table', columns: [{ key: 'y', label: '年份' }, { key: 'v', label: '金额' }], maxRows: 2 } },
    { reqId: 'r4', prompt: '说明理由', answer: { kind: 'text', maxLength: 8 } },
  ],
});

const caseValue = (parts: unknown[]) => AnswerValue.parse({ kind: 'case', parts });
const journal = (rows: unknown[]) => ({ reqId: 'r2', answer: { kind: 'journal', rows } });

describe('checkAnswerFitsItem', () => {
  it('accepts a fitting answer for every item type', () => {
    expect(checkAnswerFitsItem(single, { kind: 'choice', selected: ['B'] })).toBeNull();
    expect(checkAnswerFitsItem(text, { kind: 'text', text: '答案' })).toBeNull();
    const full = caseValue([
      { reqId: 'r1', answer: { kind: 'numeric', values: { revenue: '1200.5' } } },
      journal([{ side: 'debit', account: '银行存款', amount: '1130' }, { side: 'credit', account: '主营业务收入', amount: '1000.00' }, { side: 'credit', account: '应交税费', amount: '' }]),
      { reqId: 'r3', answer: { kind: 'table', rows: [['2025', '100']] } },
      { reqId: 'r4', answer: { kind: 'text', text: '权责发生制' } },
    ]);
    expect(checkAnswerFitsItem(calc, full)).toBeNull();
    expect(checkAnswerFitsItem(calc, caseValue([]))).toBeNull();
  });

  it('keeps the refusals of choice and text items, naming the field', () => {
    expect(checkAnswerFitsItem(single, { kind: 'choice', selected: ['A', 'B'] })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'value.selected', message: '单选题和判断题只能选择一个选项' });
    expect(checkAnswerFitsItem(single, { kind: 'choice', selected: ['E'] })?.field).toBe('value.selected');
    expect(checkAnswerFitsItem(single, { kind: 'text', text: 'A' })?.field).toBe('value');
    expect(checkAnswerFitsItem(text, { kind: 'text', text: '一二三四五六七八九十十一' })).toMatchObject({ field: 'value.text', messageEn: 'answer longer than 10' });
  });

  it('refuses a case answer on another item type and a plain answer on a case item', () => {
    expect(checkAnswerFitsItem(single, caseValue([]))?.field).toBe('value');
    expect(checkAnswerFitsItem(calc, { kind: 'text', text: '答' })).toMatchObject({ field: 'value', message: '该题应按要求分项作答' });
  });

  it('refuses unknown or repeated requirements and the wrong answer kind', () => {
    expect(checkAnswerFitsItem(calc, caseValue([{ reqId: 'r9', answer: { kind: 'text', text: '' } }]))).toMatchObject({ field: 'value.parts.0.reqId' });
    const twice = caseValue([{ reqId: 'r4', answer: { kind: 'text', text: 'a' } }, { reqId: 'r4', answer: { kind: 'text', text: 'b' } }]);
    expect(checkAnswerFitsItem(calc, twice)).toMatchObject({ field: 'value.parts.1.reqId', message: '要求(4)重复作答' });
    expect(checkAnswerFitsItem(calc, caseValue([{ reqId: 'r2', answer: { kind: 'text', text: '借：银行存款' } }]))).toMatchObject({ field: 'value.parts.0.answer.kind' });
  });

  it('checks journal rows: at most maxRows, amounts as money with two decimals', () => {
    const row = { side: 'debit', account: '库存商品', amount: '1' };
    expect(checkAnswerFitsItem(calc, caseValue([journal([row, row, row, row])]))).toMatchObject({ field: 'value.parts.0.answer.rows', message: '要求(2)的会计分录最多 3 行' });
    // the schema already refuses a malformed amount; the rule holds on its own too
    const raw = { kind: 'case', parts: [journal([row, { ...row, amount: '12.345' }])] } as AnswerValue;
    expect(checkAnswerFitsItem(calc, raw)).toMatchObject({ field: 'value.parts.0.answer.rows.1.amount', message: '要求(2)第 2 行金额应为数字，最多两位小数' });
  });

  it('checks numeric fields, table widths and text lengths per requirement', () => {
    expect(checkAnswerFitsItem(calc, caseValue([{ reqId: 'r1', answer: { kind: 'numeric', values: { cost: '1' } } }]))).toMatchObject({ field: 'value.parts.0.answer.values.cost' });
    expect(checkAnswerFitsItem(calc, caseValue([{ reqId: 'r3', answer: { kind: 'table', rows: [['2025']] } }]))).toMatchObject({ field: 'value.parts.0.answer.rows.0' });
    expect(checkAnswerFitsItem(calc, caseValue([{ reqId: 'r3', answer: { kind: 'table', rows: [['a', 'b'], ['c', 'd'], ['e', 'f']] } }]))).toMatchObject({ field: 'value.parts.0.answer.rows' });
    expect(checkAnswerFitsItem(calc, caseValue([{ reqId: 'r4', answer: { kind: 'text', text: '123456789' } }]))).toMatchObject({ field: 'value.parts.0.answer.text' });
  });
});

describe('isAnswerEmpty / isMoney', () => {
  it('counts an answer as given only when something is filled in', () => {
    expect(isAnswerEmpty(undefined)).toBe(true);
    expect(isAnswerEmpty({ kind: 'choice', selected: [] })).toBe(true);
    expect(isAnswerEmpty({ kind: 'text', text: '  ' })).toBe(true);
    expect(isAnswerEmpty(caseValue([journal([{ side: 'debit', account: ' ', amount: '' }])]))).toBe(true);
    expect(isAnswerEmpty(caseValue([journal([{ side: 'debit', account: '', amount: '5' }])]))).toBe(false);
    expect(isAnswerEmpty(caseValue([{ reqId: 'r1', answer: { kind: 'numeric', values: { revenue: '0' } } }]))).toBe(false);
  });

  it('money: digits, at most two decimals, optional minus', () => {
    expect(['0', '1130', '1000.5', '1000.50', '-20.1'].every(isMoney)).toBe(true);
    expect(['', '1.234', '1,000', '.5', '1.', '１２', 'abc'].some(isMoney)).toBe(false);
  });
});
