import { LanguageProvider } from '@kaowu/ui';
import { App, ConfigProvider } from 'antd';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { vi } from 'vitest';

export const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** Render a screen as the console does: language, antd with no space inserted between two Chinese characters, App for messages. */
export const renderScreen = (screen: ReactNode) =>
  render(
    <LanguageProvider>
      {/* no motion: jsdom never ends a CSS animation, so a closing dialog would never leave */}
      <ConfigProvider button={{ autoInsertSpace: false }} theme={{ token: { motion: false } }}>
        <App>{screen}</App>
      </ConfigProvider>
    </LanguageProvider>,
  );

/**
 * A fake provincial server: each call is recorded as 'METHOD path' (with the body of a write), and
 * answered by the first route whose prefix matches.
 */
export function fakeServer(routes: [string, (init?: RequestInit, url?: string) => Response | Promise<Response>][]) {
  const calls: { call: string; body?: unknown }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const call = `${init?.method ?? 'GET'} ${url}`;
      calls.push({ call, body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined });
      const route = routes.find(([prefix]) => call.startsWith(prefix));
      if (!route) return json({ code: 'NOT_FOUND', message: `没有 ${call}`, messageEn: `no ${call}` }, 404);
      return route[1](init, url);
    }),
  );
  return calls;
}
