import { useLanguage } from '@kaowu/ui';
import { useCallback } from 'react';
import { ApiError } from './provincial-api';

/** What a screen shows for a failed call: the server's message in the chosen language, or the error itself. */
export function errorText(e: unknown, lang: string): string {
  return e instanceof ApiError ? (lang === 'en' ? e.messageEn : e.messageZh) : String(e);
}

/** `errorText` in the console's current language. */
export function useErrorText(): (e: unknown) => string {
  const { lang } = useLanguage();
  return useCallback((e: unknown) => errorText(e, lang), [lang]);
}
