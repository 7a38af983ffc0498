import { MONEY_PATTERN, NUMERIC_PATTERN, type AnswerValue, type Item, type Requirement, type RequirementAnswer } from '@kaowu/contracts';

/**
 * Does an answer fit its item? The schema (contracts) already bounds every string and array;
 * these are the rules that need the item: the right answer kind, options and requirements that
 * exist, one choice for 单选/判断, rows within the requirement's limit, amounts as money.
 * The venue server refuses a save that breaks one; the exam machine checks the same rules.
 */
export interface AnswerRuleError {
  code: 'VALIDATION_FAILED';
  /** Path into the save payload, e.g. `value.parts.1.answer.rows.0.amount`. */
  field: string;
  message: string;
  messageEn: string;
}

const fail = (field: string, message: string, messageEn: string): AnswerRuleError => ({ code: 'VALIDATION_FAILED', field, message, messageEn });

export const isMoney = (text: string): boolean => MONEY_PATTERN.test(text);
export const isNumericText = (text: string): boolean => NUMERIC_PATTERN.test(text);

/** The first rule the answer breaks, or null when it fits the item. */
export function checkAnswerFitsItem(item: Item, value: AnswerValue): AnswerRuleError | null {
  switch (item.type) {
    case 'text':
      if (value.kind !== 'text') return fail('value', '该题应以文字作答', 'this item takes a text answer');
      if (value.text.length > item.maxLength) return fail('value.text', `作答超过 ${item.maxLength} 字的上限`, `answer longer than ${item.maxLength}`);
      return null;
    case 'calculation':
    case 'comprehensive':
      return checkCase(item.requirements, value);
    default: {
      if (value.kind !== 'choice') return fail('value', '该题应选择选项作答', 'this item takes a choice');
      const keys = new Set(item.options.map((o) => o.key));
      if (value.selected.some((k) => !keys.has(k))) return fail('value.selected', '所选选项不在本题中', 'selected option not on this item');
      if (new Set(value.selected).size !== value.selected.length) return fail('value.selected', '选项重复', 'duplicate option');
      if ((item.type === 'single' || item.type === 'judge') && value.selected.length > 1)
        return fail('value.selected', '单选题和判断题只能选择一个选项', 'single-choice and true/false items take one option');
      return null;
    }
  }
}

function checkCase(requirements: readonly Requirement[], value: AnswerValue): AnswerRuleError | null {
  if (value.kind !== 'case') return fail('value', '该题应按要求分项作答', 'this item takes an answer per requirement');
  const byId = new Map(requirements.map((r, i) => [r.reqId, { requirement: r, no: i + 1 }]));
  const seen = new Set<string>();
  for (const [i, part] of value.parts.entries()) {
    const at = `value.parts.${i}`;
    const found = byId.get(part.reqId);
    if (!found) return fail(`${at}.reqId`, `本题没有要求 ${part.reqId}`, `no requirement ${part.reqId} on this item`);
    if (seen.has(part.reqId)) return fail(`${at}.reqId`, `要求(${found.no})重复作答`, `requirement (${found.no}) answered twice`);
    seen.add(part.reqId);
    const problem = checkRequirement(found.requirement, found.no, part.answer, `${at}.answer`);
    if (problem) return problem;
  }
  return null;
}

function checkRequirement(req: Requirement, no: number, answer: RequirementAnswer, at: string): AnswerRuleError | null {
  const spec = req.answer;
  if (answer.kind !== spec.kind) return fail(`${at}.kind`, `要求(${no})的作答方式不正确`, `requirement (${no}) takes a ${spec.kind} answer`);
  switch (answer.kind) {
    case 'text': {
      const max = spec.kind === 'text' ? spec.maxLength : 0;
      if (answer.text.length > max) return fail(`${at}.text`, `要求(${no})的作答超过 ${max} 字的上限`, `requirement (${no}): answer longer than ${max}`);
      return null;
    }
    case 'numeric': {
      const fields = new Set(spec.kind === 'numeric' ? spec.fields.map((f) => f.key) : []);
      for (const [key, text] of Object.entries(answer.values)) {
        if (!fields.has(key)) return fail(`${at}.values.${key}`, `要求(${no})没有填空项 ${key}`, `requirement (${no}) has no field ${key}`);
        if (text !== '' && !isNumericText(text)) return fail(`${at}.values.${key}`, `要求(${no})的填空项应为数字`, `requirement (${no}): ${key} must be a number`);
      }
      return null;
    }
    case 'table': {
      if (spec.kind !== 'table') return null;
      if (answer.rows.length > spec.maxRows) return fail(`${at}.rows`, `要求(${no})的表格最多 ${spec.maxRows} 行`, `requirement (${no}): at most ${spec.maxRows} rows`);
      const width = spec.columns.length;
      const bad = answer.rows.findIndex((row) => row.length !== width);
      if (bad >= 0) return fail(`${at}.rows.${bad}`, `要求(${no})表格第 ${bad + 1} 行应有 ${width} 列`, `requirement (${no}): row ${bad + 1} must have ${width} cells`);
      return null;
    }
    case 'journal': {
      if (spec.kind !== 'journal') return null;
      if (answer.rows.length > spec.maxRows) return fail(`${at}.rows`, `要求(${no})的会计分录最多 ${spec.maxRows} 行`, `requirement (${no}): at most ${spec.maxRows} entry lines`);
      const bad = answer.rows.findIndex((row) => row.amount !== '' && !isMoney(row.amount));
      if (bad >= 0) return fail(`${at}.rows.${bad}.amount`, `要求(${no})第 ${bad + 1} 行金额应为数字，最多两位小数`, `requirement (${no}), line ${bad + 1}: amount must have at most two decimals`);
      return null;
    }
  }
}

/** Nothing in it: no option chosen, only blanks typed, no requirement filled in. */
export function isAnswerEmpty(value: AnswerValue | undefined): boolean {
  if (!value) return true;
  switch (value.kind) {
    case 'choice':
      return value.selected.length === 0;
    case 'text':
      return value.text.trim() === '';
    case 'case':
      return value.parts.every((p) => isRequirementAnswerEmpty(p.answer));
  }
}

export function isRequirementAnswerEmpty(answer: RequirementAnswer | undefined): boolean {
  if (!answer) return true;
  switch (answer.kind) {
    case 'text':
      return answer.text.trim() === '';
    case 'numeric':
      return Object.values(answer.values).every((v) => v.trim() === '');
    case 'table':
      return answer.rows.every((row) => row.every((cell) => cell.trim() === ''));
    case 'journal':
      return answer.rows.every((row) => row.account.trim() === '' && row.amount === '');
  }
}
