import type { AnswerValue, Item, ItemType, RequirementAnswer } from '@kaowu/contracts';
import { isAnswerEmpty } from '@kaowu/exam-domain';

export const isAnswered = (value: AnswerValue | undefined): boolean => !isAnswerEmpty(value);

/** The answer to one requirement 要求(n) of a case item, if any. */
export function partOf(value: AnswerValue | undefined, reqId: string): RequirementAnswer | undefined {
  return value?.kind === 'case' ? value.parts.find((p) => p.reqId === reqId)?.answer : undefined;
}

export interface ItemGroup {
  type: ItemType;
  items: Item[];
}

/** Items grouped by type, groups in order of first appearance (一、单项选择题 …). */
export function groupByType(items: readonly Item[]): ItemGroup[] {
  const groups: ItemGroup[] = [];
  for (const item of items) {
    const group = groups.find((g) => g.type === item.type);
    if (group) group.items.push(item);
    else groups.push({ type: item.type, items: [item] });
  }
  return groups;
}

const CHINESE_ORDINALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
export const sectionOrdinal = (index: number) => CHINESE_ORDINALS[index] ?? String(index + 1);

/** What the question list shows for an item: answered, unanswered (*), and marked for review (?). */
export interface ItemMark {
  answered: boolean;
  marked: boolean;
}
