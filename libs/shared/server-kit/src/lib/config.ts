import { ZodType } from 'zod';

/**
 * Parse the environment once at boot against a schema; a bad value stops the process with a
 * message naming the variable, instead of failing later in the middle of an exam.
 */
export function parseConfig<T>(schema: ZodType<T>, env: Record<string, string | undefined> = process.env): T {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
  throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
}
