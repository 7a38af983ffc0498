import { AnswerValue, CreatePaper, Item, PaperContent } from '../index';

const caseItem = {
  itemId: 'Z1',
  no: 22,
  type: 'comprehensive',
  stem: '甲公司股权投资资料如下。',
  score: 18,
  material: [
    { kind: 'paragraph', text: '资料一：2024年1月1日取得乙公司30%股权。' },
    { kind: 'table', caption: '乙公司财务数据', header: ['年度', '净利润'], rows: [['2024', '1000']] },
  ],
  requirements: [
    { reqId: 'r1', prompt: '编制会计分录。', answer: { kind: 'journal', maxRows: 12 } },
    { reqId: 'r2', prompt: '计算账面价值。', answer: { kind: 'numeric', fields: [{ key: 'bv', label: '账面价值', unit: '万元' }] } },
    { reqId: 'r3', prompt: '填表。', answer: { kind: 'table', columns: [{ key: 'a', label: '项目' }], maxRows: 5 } },
    { reqId: 'r4', prompt: '说明理由。', answer: { kind: 'text', maxLength: 2000 } },
  ],
};

describe('case items and answers', () => {
  it('accepts a 综合题 with material and requirements, and old objective papers unchanged', () => {
    expect(Item.safeParse(caseItem).success).toBe(true);
    const paper = { format: 'kaowu.paper', version: 1, paperId: 'P', subjectName: '中级会计实务', items: [caseItem, { itemId: 'T1', no: 1, type: 'text', stem: '简述', score: 5, maxLength: 500 }] };
    expect(PaperContent.safeParse(paper).success).toBe(true);
  });

  it('refuses repeated requirement ids, an empty material and an oversized table', () => {
    expect(Item.safeParse({ ...caseItem, requirements: [caseItem.requirements[0], caseItem.requirements[0]] }).success).toBe(false);
    expect(Item.safeParse({ ...caseItem, material: [] }).success).toBe(false);
    const wide = { kind: 'table', header: Array(13).fill('列'), rows: [['1']] };
    expect(Item.safeParse({ ...caseItem, material: [wide] }).success).toBe(false);
  });

  it('journal rows take money with at most two decimals, or a blank while drafting', () => {
    const journal = (amount: string) => ({ kind: 'case', parts: [{ reqId: 'r1', answer: { kind: 'journal', rows: [{ side: 'debit', account: '长期股权投资', amount }] } }] });
    for (const ok of ['3300', '3300.5', '3300.50', '-26', '']) expect(AnswerValue.safeParse(journal(ok)).success).toBe(true);
    for (const bad of ['3300.555', '3,300', '三千', '1e3']) expect(AnswerValue.safeParse(journal(bad)).success).toBe(false);
    const side = AnswerValue.safeParse({ kind: 'case', parts: [{ reqId: 'r1', answer: { kind: 'journal', rows: [{ side: 'left', account: 'x', amount: '1' }] } }] });
    expect(side.success).toBe(false);
  });

  it('bounds every answer: parts, rows, numeric values, account length', () => {
    const part = { reqId: 'r4', answer: { kind: 'text', text: '答' } };
    expect(AnswerValue.safeParse({ kind: 'case', parts: Array(11).fill(part) }).success).toBe(false);
    const rows = Array(61).fill({ side: 'credit', account: '银行存款', amount: '1' });
    expect(AnswerValue.safeParse({ kind: 'case', parts: [{ reqId: 'r1', answer: { kind: 'journal', rows } }] }).success).toBe(false);
    const longAccount = [{ side: 'credit', account: '科'.repeat(61), amount: '1' }];
    expect(AnswerValue.safeParse({ kind: 'case', parts: [{ reqId: 'r1', answer: { kind: 'journal', rows: longAccount } }] }).success).toBe(false);
    const values = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`f${i}`, '1']));
    expect(AnswerValue.safeParse({ kind: 'case', parts: [{ reqId: 'r2', answer: { kind: 'numeric', values } }] }).success).toBe(false);
    expect(AnswerValue.safeParse({ kind: 'case', parts: [{ reqId: 'r2', answer: { kind: 'numeric', values: { bv: 'abc' } } }] }).success).toBe(false);
  });

  it('a paper the province creates may hold case items with a reference answer', () => {
    const { no: _no, ...keyed } = caseItem;
    const r = CreatePaper.safeParse({ paperId: 'P-ACC', examCode: 'E', items: [{ ...keyed, reference: '借：长期股权投资 3300' }] });
    expect(r.success).toBe(true);
  });
});
