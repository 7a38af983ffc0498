import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

export type Lang = 'zh-CN' | 'en';
export type Vars = Record<string, string | number>;

/** zh-CN is complete; a missing English entry falls back to Chinese. */
export interface Messages<K extends string> {
  'zh-CN': Record<K, string>;
  en: Partial<Record<K, string>>;
}

export type Translate<K extends string> = (key: K, lang?: Lang, vars?: Vars) => string;

/** `{name}` placeholders are filled from `vars`. */
export function createTranslator<K extends string>(messages: Messages<K>): Translate<K> {
  return (key, lang = 'zh-CN', vars) => {
    const text = messages[lang][key] ?? messages['zh-CN'][key] ?? key;
    return vars ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole)) : text;
  };
}

/** Words every screen shares: session phases, attempt statuses, connection state. */
export const commonMessages = {
  'zh-CN': {
    'phase.scheduled': '未开始',
    'phase.waiting_login': '等待登录',
    'phase.login_open': '开放登录',
    'phase.in_progress': '考试中',
    'phase.ended': '已结束',
    'phase.sealed': '已封存',
    'phase.uploaded': '已上传',
    'status.not_logged_in': '未登录',
    'status.logged_in': '已登录',
    'status.in_progress': '答题中',
    'status.submitted': '已交卷',
    'status.ended': '已结束',
    'status.absent': '缺考',
    'connection.connecting': '连接中…',
    'connection.connected': '已连接',
    'connection.disconnected': '连接中断',
    'common.room': '考场',
    'common.seat': '座位',
    'common.ticketNo': '准考证号',
    'common.name': '姓名',
    'common.session': '场次',
  },
  en: {
    'phase.scheduled': 'Scheduled',
    'phase.waiting_login': 'Waiting for login',
    'phase.login_open': 'Login open',
    'phase.in_progress': 'In progress',
    'phase.ended': 'Ended',
    'phase.sealed': 'Sealed',
    'phase.uploaded': 'Uploaded',
    'status.not_logged_in': 'Not logged in',
    'status.logged_in': 'Logged in',
    'status.in_progress': 'Answering',
    'status.submitted': 'Submitted',
    'status.ended': 'Ended',
    'status.absent': 'Absent',
    'connection.connecting': 'Connecting…',
    'connection.connected': 'Connected',
    'connection.disconnected': 'Disconnected',
    'common.room': 'Room',
    'common.seat': 'Seat',
    'common.ticketNo': 'Ticket no.',
    'common.name': 'Name',
    'common.session': 'Session',
  },
} satisfies Messages<string>;

export type CommonKey = keyof (typeof commonMessages)['zh-CN'];
export const t: Translate<CommonKey> = createTranslator<CommonKey>(commonMessages);

interface LanguageState {
  lang: Lang;
  setLang: (lang: Lang) => void;
}

const LanguageContext = createContext<LanguageState>({ lang: 'zh-CN', setLang: () => undefined });

export function LanguageProvider({ initial = 'zh-CN', children }: { initial?: Lang; children: ReactNode }) {
  const [lang, setLang] = useState<Lang>(initial);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo(() => ({ lang, setLang }), [lang]);
  return <LanguageContext.Provider value={value}>{children}</LanguageContext.Provider>;
}

export function useLanguage(): LanguageState {
  return useContext(LanguageContext);
}

/** Binds a translator to the current language: `const tr = useTranslate(appT); tr('login.title')`. */
export function useTranslate<K extends string>(translate: Translate<K>): (key: K, vars?: Vars) => string {
  const { lang } = useLanguage();
  return useCallback((key: K, vars?: Vars) => translate(key, lang, vars), [translate, lang]);
}

export function LanguageSwitch({ className }: { className?: string }) {
  const { lang, setLang } = useLanguage();
  return (
    <span className={['kw-lang-switch', className ?? ''].filter(Boolean).join(' ')} role="group" aria-label="语言 / Language">
      <button type="button" aria-pressed={lang === 'zh-CN'} onClick={() => setLang('zh-CN')}>
        中文
      </button>
      <button type="button" aria-pressed={lang === 'en'} onClick={() => setLang('en')}>
        English
      </button>
    </span>
  );
}
