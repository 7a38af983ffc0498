import type { AnswerValue, Item, ItemType } from '@kaowu/contracts';

export function isAnswered(value: AnswerValue | undefined): boolean {
  if (!value) return false;
  return value.kind === 'choice' ? value.selected.length > 0 : value.text.trim().length > 0;
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
