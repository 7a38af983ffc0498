import { z } from 'zod';

/**
 * Items (试题). Maps one-to-one onto QTI 3.0: single/multiple/judge are choiceInteraction
 * (maxChoices 1 / 0 / 1), text is extendedTextInteraction. Deeper types come with the client issue.
 */
export const ItemType = z.enum(['single', 'multiple', 'judge', 'text']);
export type ItemType = z.infer<typeof ItemType>;

export const ItemTypeLabel: Record<ItemType, { zh: string; en: string }> = {
  single: { zh: '单项选择题', en: 'Single choice' },
  multiple: { zh: '多项选择题', en: 'Multiple choice' },
  judge: { zh: '判断题', en: 'True / false' },
  text: { zh: '简答题', en: 'Short answer' },
};

export const ItemId = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/);
export const OptionKey = z.string().regex(/^[A-Z]$/);

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

/** An item as the candidate sees it: never carries the key. */
export const Item = z.discriminatedUnion('type', [
  ChoiceItem.extend({ type: z.literal('single') }),
  ChoiceItem.extend({ type: z.literal('multiple') }),
  ChoiceItem.extend({ type: z.literal('judge') }),
  TextItem,
]);
export type Item = z.infer<typeof Item>;

/** Answer values a candidate can give. */
export const AnswerValue = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('choice'), selected: z.array(OptionKey).max(8) }),
  z.object({ kind: z.literal('text'), text: z.string().max(20000) }),
]);
export type AnswerValue = z.infer<typeof AnswerValue>;

/** 标准答案: stays at the province; never inside a venue package. */
export const AnswerKey = z.object({ itemId: ItemId, correct: z.array(OptionKey).min(1) });
export type AnswerKey = z.infer<typeof AnswerKey>;
