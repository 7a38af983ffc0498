import { z } from 'zod';

/**
 * Items (试题) of the intermediate accounting exam. The model maps one-to-one onto QTI 3.0:
 *
 * | here                              | QTI 3.0                                                         |
 * |-----------------------------------|-----------------------------------------------------------------|
 * | single / judge                    | qti-choice-interaction max-choices="1"                          |
 * | multiple                          | qti-choice-interaction max-choices="0"                          |
 * | text (简答题)                      | qti-extended-text-interaction                                   |
 * | calculation / comprehensive       | one qti-assessment-item; `material` is the item body's shared   |
 * |   (计算分析题 / 综合题)             | stimulus (qti-assessment-stimulus), each requirement 要求(n) one |
 * |                                   | interaction with its own response identifier (= `reqId`)        |
 * | requirement answer `text`         | qti-extended-text-interaction                                   |
 * | requirement answer `numeric`      | one qti-text-entry-interaction per field (base-type="float")    |
 * | requirement answer `table`        | XHTML table with a qti-text-entry-interaction per cell          |
 * | requirement answer `journal`      | qti-portable-custom-interaction "kaowu-journal-entry"           |
 * |                                   | (record cardinality: side, account, amount per row)             |
 * | material `table` block            | XHTML <table> inside the stimulus                               |
 */
export const ItemType = z.enum(['single', 'multiple', 'judge', 'text', 'calculation', 'comprehensive']);
export type ItemType = z.infer<typeof ItemType>;

export const ItemTypeLabel: Record<ItemType, { zh: string; en: string }> = {
  single: { zh: '单项选择题', en: 'Single choice' },
  multiple: { zh: '多项选择题', en: 'Multiple choice' },
  judge: { zh: '判断题', en: 'True / false' },
  text: { zh: '简答题', en: 'Short answer' },
  calculation: { zh: '计算分析题', en: 'Calculation and analysis' },
  comprehensive: { zh: '综合题', en: 'Comprehensive' },
};

/** Item types answered with a case answer (material + requirements). */
export const CASE_ITEM_TYPES = ['calculation', 'comprehensive'] as const;
export type CaseItemType = (typeof CASE_ITEM_TYPES)[number];

export const ItemId = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/);
export const OptionKey = z.string().regex(/^[A-Z]$/);
/** Identifies a requirement 要求(n) within its item, or a field / column within a requirement. */
export const PartKey = z.string().regex(/^[A-Za-z0-9_-]{1,20}$/, '应为 1–20 位字母、数字、- 或 _ / must be 1–20 letters, digits, - or _');

/**
 * A money amount as typed in a journal entry (金额): digits with at most two decimals, an
 * optional leading minus for 红字 entries; a string so nothing is lost to floating point.
 */
export const MONEY_PATTERN = /^-?\d{1,13}(\.\d{1,2})?$/;
export const Money = z.string().regex(MONEY_PATTERN, '金额应为数字，最多两位小数 / amount must be a number with at most two decimals');
/** A numeric field's value as typed: a decimal number (up to six decimals) or empty. */
export const NUMERIC_PATTERN = /^-?\d{1,15}(\.\d{1,6})?$/;
export const NumericText = z.union([z.literal(''), z.string().regex(NUMERIC_PATTERN, '应为数字 / must be a number')]);

export const ChoiceOption = z.object({ key: OptionKey, text: z.string().min(1).max(2000) });

const itemBase = {
  itemId: ItemId,
  no: z.number().int().positive(),
  stem: z.string().min(1).max(20000),
  score: z.number().positive().max(100),
};

export const ChoiceItem = z.object({
  ...itemBase,
  type: z.enum(['single', 'multiple', 'judge']),
  options: z.array(ChoiceOption).min(2).max(8),
});
export const TextItem = z.object({ ...itemBase, type: z.literal('text'), maxLength: z.number().int().positive().max(20000) });

// ── case items: 资料区 + 要求(1)(2)… ─────────────────────────────────────────────────────

/** 资料区: paragraphs and simple tables, plain text only (no markup travels in a paper). */
export const MaterialBlock = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('paragraph'), text: z.string().min(1).max(10000) }),
  z.object({
    kind: z.literal('table'),
    caption: z.string().max(200).optional(),
    header: z.array(z.string().max(200)).min(1).max(12),
    rows: z.array(z.array(z.string().max(200)).min(1).max(12)).min(1).max(50),
  }),
]);
export type MaterialBlock = z.infer<typeof MaterialBlock>;

export const NumericField = z.object({ key: PartKey, label: z.string().min(1).max(200), unit: z.string().max(20).optional() });
export const TableColumn = z.object({ key: PartKey, label: z.string().min(1).max(100) });

/** How a requirement is answered. */
export const RequirementAnswerSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), maxLength: z.number().int().positive().max(20000) }),
  z.object({ kind: z.literal('numeric'), fields: z.array(NumericField).min(1).max(20) }),
  z.object({ kind: z.literal('table'), columns: z.array(TableColumn).min(1).max(10), maxRows: z.number().int().positive().max(30) }),
  /** 会计分录: rows of 借/贷, account, amount. */
  z.object({ kind: z.literal('journal'), maxRows: z.number().int().positive().max(60) }),
]);
export type RequirementAnswerSpec = z.infer<typeof RequirementAnswerSpec>;
export type RequirementAnswerKind = RequirementAnswerSpec['kind'];

export const Requirement = z.object({
  reqId: PartKey,
  /** 要求(n) as printed. */
  prompt: z.string().min(1).max(4000),
  answer: RequirementAnswerSpec,
});
export type Requirement = z.infer<typeof Requirement>;

/** 要求(1)(2)…: up to ten, each with its own id. */
export const Requirements = z
  .array(Requirement)
  .min(1)
  .max(10)
  .refine((reqs) => new Set(reqs.map((r) => r.reqId)).size === reqs.length, '要求编号重复 / duplicate reqId');
export const Material = z.array(MaterialBlock).min(1).max(60);

const caseFields = { ...itemBase, material: Material, requirements: Requirements };
export const CaseItem = z.object({ ...caseFields, type: z.enum(CASE_ITEM_TYPES) });
export type CaseItem = z.infer<typeof CaseItem>;

/** An item as the candidate sees it: never carries the key. */
export const Item = z.discriminatedUnion('type', [
  ChoiceItem.extend({ type: z.literal('single') }),
  ChoiceItem.extend({ type: z.literal('multiple') }),
  ChoiceItem.extend({ type: z.literal('judge') }),
  TextItem,
  CaseItem.extend({ type: z.literal('calculation') }),
  CaseItem.extend({ type: z.literal('comprehensive') }),
]);
export type Item = z.infer<typeof Item>;

export const isCaseItem = (item: Item): item is Extract<Item, { type: CaseItemType }> => item.type === 'calculation' || item.type === 'comprehensive';
export const isChoiceItem = (item: Item): item is Extract<Item, { type: 'single' | 'multiple' | 'judge' }> =>
  item.type === 'single' || item.type === 'multiple' || item.type === 'judge';

// ── answers ──────────────────────────────────────────────────────────────────────────────

export const JournalSide = z.enum(['debit', 'credit']);
export type JournalSide = z.infer<typeof JournalSide>;

/** One line of a journal entry: 借/贷, account (会计科目), amount; blanks allowed while drafting. */
export const JournalRow = z.object({
  side: JournalSide,
  account: z.string().max(60),
  amount: z.union([z.literal(''), Money]),
});
export type JournalRow = z.infer<typeof JournalRow>;

/** The answer to one requirement, by the requirement's answer kind. */
export const RequirementAnswer = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), text: z.string().max(20000) }),
  z.object({
    kind: z.literal('numeric'),
    values: z.record(PartKey, NumericText).refine((v) => Object.keys(v).length <= 20, '最多 20 个数值 / at most 20 values'),
  }),
  z.object({ kind: z.literal('table'), rows: z.array(z.array(z.string().max(200)).max(10)).max(30) }),
  z.object({ kind: z.literal('journal'), rows: z.array(JournalRow).max(60) }),
]);
export type RequirementAnswer = z.infer<typeof RequirementAnswer>;

export const CasePart = z.object({ reqId: PartKey, answer: RequirementAnswer });
export type CasePart = z.infer<typeof CasePart>;

/** Answer values a candidate can give. */
export const AnswerValue = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('choice'), selected: z.array(OptionKey).max(8) }),
  z.object({ kind: z.literal('text'), text: z.string().max(20000) }),
  /** 计算分析题 / 综合题: one part per answered requirement. */
  z.object({ kind: z.literal('case'), parts: z.array(CasePart).max(10) }),
]);
export type AnswerValue = z.infer<typeof AnswerValue>;

/** 标准答案: stays at the province; never inside a venue package. Choice items only (subjective items are marked by graders). */
export const AnswerKey = z.object({ itemId: ItemId, correct: z.array(OptionKey).min(1) });
export type AnswerKey = z.infer<typeof AnswerKey>;
