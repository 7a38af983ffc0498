import { App as AntApp, ConfigProvider, Input, Layout, Menu, Select, Space, Tag, Typography, type ThemeConfig } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import type { StaffIdentity } from '@kaowu/contracts';
import { LanguageSwitch, useLanguage } from '@kaowu/ui';
import { useEffect, useState, type ReactNode } from 'react';
import { useT } from './messages';
import { fetchMe, fetchSittings, staffToken } from './provincial-api';
import { errorText } from './error-text';
import { RegistrationImportPage } from './planning/registration-import-page';
import { AllocationPage } from './planning/allocation-page';
import { TicketLookupPage } from './tickets/ticket-lookup-page';
import { ResultsPage } from './results-page';
import { CompletenessDashboard } from './completeness-dashboard';
import { ExamPlanPage } from './planning/exam-plan-page';
import { VenuesPage } from './planning/venues-page';
import { StaffTokensPage } from './staff/staff-tokens-page';
import { AuditLogPage } from './staff/audit-log-page';
import { IncidentReviewPage } from './after-sitting/incident-review-page';
import { SittingSummaryPage } from './after-sitting/sitting-summary-page';
import { IntegrityReportPage } from './after-sitting/integrity-report-page';

const THEME: ThemeConfig = { token: { colorPrimary: '#1f5fa8', borderRadius: 4 } };
const PAGES = ['plan', 'import', 'allocation', 'venues', 'tickets', 'results', 'incidents', 'summary', 'integrity', 'tokens', 'audit'] as const;
/** Pages of the province's own work: a 市、州 考办 does not see them. */
const PROVINCE_ONLY: readonly string[] = ['tokens', 'audit'];
type PageKey = (typeof PAGES)[number];

const pageOfHash = (): PageKey => {
  const key = window.location.hash.replace(/^#\/?/, '');
  return (PAGES as readonly string[]).includes(key) ? (key as PageKey) : 'import';
};

/** 省级控制台: 报名导入, 考场编排, 准考证, 成绩与回收 — one page at a time, chosen in the side menu (and the URL hash). */
export function ConsoleApp() {
  const t = useT();
  const { lang } = useLanguage();
  const [page, setPage] = useState<PageKey>(pageOfHash);
  const [sittings, setSittings] = useState<{ sittingCode: string; name: string }[]>([]);
  const [sittingCode, setSittingCode] = useState<string | undefined>();
  const [me, setMe] = useState<StaffIdentity | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tokenDraft, setTokenDraft] = useState('');
  const [tokenVersion, setTokenVersion] = useState(0);
  const [sittingsVersion, setSittingsVersion] = useState(0);

  useEffect(() => {
    const onHash = () => setPage(pageOfHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    let live = true;
    Promise.all([fetchMe(), fetchSittings()])
      .then(([identity, list]) => {
        if (!live) return;
        setMe(identity);
        setSittings(list);
        setSittingCode((current) => current ?? list[0]?.sittingCode);
        setError(null);
      })
      .catch((e: unknown) => live && setError(errorText(e, lang)));
    return () => {
      live = false;
    };
  }, [tokenVersion, lang, sittingsVersion]);

  const go = (key: PageKey) => {
    window.location.hash = `#/${key}`;
    setPage(key);
  };

  let body: ReactNode = null;
  const isAdmin = me?.role === 'provincial-admin';
  if (page === 'plan')
    body = (
      <ExamPlanPage
        key={sittingCode ?? 'new'}
        sittingCode={sittingCode}
        canEdit={isAdmin}
        onSaved={(code) => {
          setSittingCode(code);
          setSittingsVersion((v) => v + 1);
        }}
      />
    );
  else if (page === 'venues') body = <VenuesPage sittingCode={sittingCode} regionCode={me?.role === 'municipal-admin' ? me.regionCode : null} canEdit={isAdmin || me?.role === 'municipal-admin'} canCreate={isAdmin} />;
  else if (page === 'tokens') body = <StaffTokensPage canIssue={isAdmin} />;
  else if (page === 'audit') body = <AuditLogPage />;
  else if (page === 'results')
    body = (
      <ResultsPage>
        <CompletenessDashboard />
      </ResultsPage>
    );
  else if (sittingCode) {
    if (page === 'import') body = <RegistrationImportPage sittingCode={sittingCode} />;
    if (page === 'allocation') body = <AllocationPage sittingCode={sittingCode} canRun={me?.role === 'provincial-admin'} />;
    if (page === 'tickets') body = <TicketLookupPage sittingCode={sittingCode} />;
    if (page === 'incidents') body = <IncidentReviewPage sittingCode={sittingCode} canDecide={me?.role === 'provincial-admin' || me?.role === 'municipal-admin'} />;
    if (page === 'summary') body = <SittingSummaryPage sittingCode={sittingCode} />;
    if (page === 'integrity') body = <IntegrityReportPage sittingCode={sittingCode} />;
  } else if (!error) body = <Typography.Paragraph type="secondary">{t('app.noSitting')}</Typography.Paragraph>;

  return (
    <ConfigProvider locale={lang === 'en' ? enUS : zhCN} theme={THEME} button={{ autoInsertSpace: false }}>
      <AntApp>
        <Layout style={{ minHeight: '100vh' }}>
          <Layout.Header className="console-header">
            <Typography.Title level={1} className="console-title">
              {t('app.title')}
            </Typography.Title>
            <span className="spacer" />
            <Space>
              <span>{t('app.sitting')}</span>
              <Select aria-label={t('app.sitting')} style={{ minWidth: 220 }} value={sittingCode} onChange={setSittingCode} options={sittings.map((s) => ({ value: s.sittingCode, label: `${s.name}（${s.sittingCode}）` }))} />
              {me && <Tag color="blue">{t(`app.role.${me.role}`, { region: me.regionCode ?? '' })}</Tag>}
              <LanguageSwitch />
            </Space>
          </Layout.Header>
          <Layout>
            <Layout.Sider width={180} theme="light">
              <Menu
                mode="inline"
                selectedKeys={[page]}
                onClick={(e) => go(e.key as PageKey)}
                items={PAGES.filter((key) => me?.role !== 'municipal-admin' || !PROVINCE_ONLY.includes(key)).map((key) => ({ key, label: t(`nav.${key}`) }))}
              />
              <div className="token-box">
                <Input.Password
                  aria-label={t('app.token')}
                  placeholder={t('app.token')}
                  value={tokenDraft}
                  onChange={(e) => setTokenDraft(e.target.value)}
                  onPressEnter={() => {
                    staffToken.set(tokenDraft.trim() || null);
                    setTokenVersion((v) => v + 1);
                  }}
                />
              </div>
            </Layout.Sider>
            <Layout.Content className="console-content">
              {error && (
                <p role="alert" className="error">
                  {error}
                </p>
              )}
              {body}
            </Layout.Content>
          </Layout>
        </Layout>
      </AntApp>
    </ConfigProvider>
  );
}
