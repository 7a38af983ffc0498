import type { CreatePaper, CreateVenue, RegisterCandidates } from '@kaowu/contracts';
import { withResidentIdCheck } from '@kaowu/exam-domain';
import { candidatePhoto } from './candidate-photo';
import { seededRandom } from './seeded-random';

export { seededRandom } from './seeded-random';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平'];

/** A venue of rooms (5×6 seats = 30 each) large enough for `candidates`. */
export function demoVenue(venueCode: string, candidates: number, perRoom = 30): CreateVenue {
  const rooms = Math.max(1, Math.ceil(candidates / perRoom));
  const cols = 6;
  return {
    venueCode,
    name: '贵阳市第一考点（演示）',
    rooms: Array.from({ length: rooms }, (_, i) => ({ roomCode: `R${String(i + 1).padStart(2, '0')}`, name: `第${i + 1}考场`, rows: Math.ceil(perRoom / cols), cols })),
  };
}

export function demoCandidates(venueCode: string, count: number, perRoom = 30, rnd = seededRandom(7)): RegisterCandidates {
  return {
    candidates: Array.from({ length: count }, (_, i) => {
      const room = Math.floor(i / perRoom);
      const birth = `19${70 + (i % 30)}0${1 + (i % 9)}1${i % 10}`;
      const body = `520102${birth}${String(100 + (i % 900)).padStart(3, '0')}`;
      return {
        ticketNo: `2026${String(520100000 + i).padStart(10, '0')}`,
        idNo: withResidentIdCheck(body.slice(0, 17)),
        name: SURNAMES[Math.floor(rnd() * SURNAMES.length)] + GIVEN[Math.floor(rnd() * GIVEN.length)],
        gender: rnd() < 0.5 ? 'M' : 'F',
        venueCode,
        roomCode: `R${String(room + 1).padStart(2, '0')}`,
        seatNo: (i % perRoom) + 1,
        photo: candidatePhoto(i),
      };
    }),
  };
}

/** How many items of each type a demo paper has. */
export interface PaperCounts {
  single: number;
  multiple: number;
  judge: number;
  /** 计算分析题 (default 0). */
  calculation?: number;
  /** 综合题 (default 0). */
  comprehensive?: number;
}

/** The objective paper (20 items) the mock exam, the integration and the browser tests count on. */
export const OBJECTIVE_PAPER: PaperCounts = { single: 10, multiple: 5, judge: 5 };
/** The same plus one 计算分析题 and one 综合题: every item type of the accounting paper. */
export const ACCOUNTING_PAPER: PaperCounts = { ...OBJECTIVE_PAPER, calculation: 1, comprehensive: 1 };

type PaperItem = CreatePaper['items'][number];

/**
 * A paper in the shape of the 经济法 / 中级会计实务 papers: 单选, 多选, 判断 with keys, then
 * (when asked for) 计算分析题 and 综合题 with material and requirements, one of them a journal entry.
 */
export function demoPaper(paperId: string, examCode: string, counts: PaperCounts = OBJECTIVE_PAPER): CreatePaper {
  const items: PaperItem[] = [];
  for (let i = 1; i <= counts.single; i++)
    items.push({
      itemId: `S${i}`, type: 'single', score: 1, stem: `（单选第${i}题）根据会计法律制度的规定，下列表述中正确的是（ ）。`,
      options: ['A', 'B', 'C', 'D'].map((k) => ({ key: k, text: `选项${k}的表述` })), correct: [['A', 'B', 'C', 'D'][i % 4]],
    });
  for (let i = 1; i <= counts.multiple; i++)
    items.push({
      itemId: `M${i}`, type: 'multiple', score: 2, stem: `（多选第${i}题）下列各项中，属于企业资产的有（ ）。`,
      options: ['A', 'B', 'C', 'D'].map((k) => ({ key: k, text: `选项${k}的表述` })), correct: i % 2 ? ['A', 'C'] : ['B', 'C', 'D'],
    });
  for (let i = 1; i <= counts.judge; i++)
    items.push({
      itemId: `J${i}`, type: 'judge', score: 1, stem: `（判断第${i}题）企业应当按照权责发生制确认收入。（ ）`,
      options: [{ key: 'A', text: '正确' }, { key: 'B', text: '错误' }], correct: [i % 2 ? 'A' : 'B'],
    });
  for (let i = 1; i <= (counts.calculation ?? 0); i++) items.push(calculationItem(`C${i}`));
  for (let i = 1; i <= (counts.comprehensive ?? 0); i++) items.push(comprehensiveItem(`Z${i}`));
  return { paperId, examCode, items };
}

/** 计算分析题: a sale with VAT — the amounts as numeric fields, then the journal entry. */
function calculationItem(itemId: string): PaperItem {
  return {
    itemId, type: 'calculation', score: 11,
    stem: '甲公司为增值税一般纳税人，适用的增值税税率为13%。2025年甲公司发生的与销售商品相关的交易或事项如下。',
    material: [
      { kind: 'paragraph', text: '资料一：2025年3月1日，甲公司向乙公司销售A产品一批，不含增值税的售价为200万元，增值税税额为26万元，款项已收存银行。该批产品的成本为150万元。' },
      { kind: 'paragraph', text: '资料二：甲公司A产品的有关资料如下表所示。' },
      { kind: 'table', caption: 'A产品资料（金额单位：万元）', header: ['项目', '数量（件）', '金额'], rows: [['期初库存', '1000', '300'], ['本期销售', '500', '150']] },
      { kind: 'paragraph', text: '本题不考虑除增值税以外的其他因素。' },
    ],
    requirements: [
      { reqId: 'r1', prompt: '根据资料一，计算甲公司应确认的销售收入和应结转的销售成本。', answer: { kind: 'numeric', fields: [{ key: 'revenue', label: '销售收入', unit: '万元' }, { key: 'cost', label: '销售成本', unit: '万元' }] } },
      { reqId: 'r2', prompt: '根据资料一，编制甲公司销售A产品的会计分录。', answer: { kind: 'journal', maxRows: 12 } },
    ],
    reference: '(1) 收入200万元，成本150万元。(2) 借：银行存款226；贷：主营业务收入200，应交税费——应交增值税（销项税额）26。借：主营业务成本150；贷：库存商品150。',
  };
}

/** 综合题: a long-term equity investment — journal entries, a computation table and a reason. */
function comprehensiveItem(itemId: string): PaperItem {
  return {
    itemId, type: 'comprehensive', score: 18,
    stem: '甲公司2024年至2025年对乙公司股权投资的有关资料如下。',
    material: [
      { kind: 'paragraph', text: '资料一：2024年1月1日，甲公司以银行存款3000万元取得乙公司30%的有表决权股份，能够对乙公司施加重大影响。当日乙公司可辨认净资产的公允价值为11000万元。' },
      { kind: 'paragraph', text: '资料二：2024年度乙公司实现净利润1000万元；2025年3月10日乙公司宣告分派现金股利200万元。' },
      { kind: 'table', caption: '乙公司主要财务数据（金额单位：万元）', header: ['年度', '净利润', '其他综合收益'], rows: [['2024', '1000', '100'], ['2025', '800', '0']] },
    ],
    requirements: [
      { reqId: 'r1', prompt: '编制甲公司2024年1月1日取得乙公司股权的会计分录。', answer: { kind: 'journal', maxRows: 12 } },
      { reqId: 'r2', prompt: '计算甲公司2024年末长期股权投资的账面价值，填入下表。', answer: { kind: 'table', columns: [{ key: 'item', label: '项目' }, { key: 'amount', label: '金额（万元）' }], maxRows: 6 } },
      { reqId: 'r3', prompt: '说明甲公司对乙公司的投资应采用权益法核算的理由。', answer: { kind: 'text', maxLength: 2000 } },
    ],
    reference: '(1) 借：长期股权投资——投资成本3300；贷：银行存款3000，营业外收入300。',
  };
}
