import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { LanguageProvider, LanguageSwitch, createTranslator, t, useTranslate } from './i18n';

const appT = createTranslator<'hello' | 'onlyZh'>({
  'zh-CN': { hello: '你好，{name}', onlyZh: '仅中文' },
  en: { hello: 'Hello, {name}' },
});

function Greeting() {
  const tr = useTranslate(appT);
  return <p>{tr('hello', { name: '张三' })}</p>;
}

describe('i18n', () => {
  it('translates common keys, zh-CN by default', () => {
    expect(t('status.submitted')).toBe('已交卷');
    expect(t('status.submitted', 'en')).toBe('Submitted');
  });

  it('fills placeholders and falls back to Chinese when English is missing', () => {
    expect(appT('hello', 'en', { name: 'Li' })).toBe('Hello, Li');
    expect(appT('onlyZh', 'en')).toBe('仅中文');
  });

  it('switches the language of the page with 中文 / English', () => {
    render(
      <LanguageProvider>
        <LanguageSwitch />
        <Greeting />
      </LanguageProvider>,
    );
    expect(screen.getByText('你好，张三')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'English' }));
    expect(screen.getByText('Hello, 张三')).toBeTruthy();
    expect(document.documentElement.lang).toBe('en');
    fireEvent.click(screen.getByRole('button', { name: '中文' }));
    expect(screen.getByText('你好，张三')).toBeTruthy();
  });
});
